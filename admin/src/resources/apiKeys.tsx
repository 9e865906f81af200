import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField as MuiTextField, Typography } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import { Create, SimpleForm, useCanAccess, useNotify, useRecordContext, useRedirect, useRefresh } from 'react-admin';
import { gql } from '../providers/graphql';
import { GenericInputs } from './GenericInputs';
import { editableFields } from './fields';
import { makeResource } from './resource';

/** Revokes the key everywhere at once; the key cannot be used again. */
function RevokeButton() {
  const key = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const { canAccess } = useCanAccess({ resource: 'apiKeys', action: 'edit' });
  if (!key || !canAccess || key.revokedAt) return null;
  const revoke = async () => {
    try {
      await gql('mutation($id: ID!, $rev: Int!) { revokeApiKey(id: $id, expectedRevision: $rev) { id } }', { id: key.id, rev: key.revision });
      notify('Key revoked', { type: 'success' });
      refresh();
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  return (
    <Button color="error" startIcon={<BlockIcon />} onClick={revoke}>
      Revoke
    </Button>
  );
}

/** Issuing a key shows it once, to copy; only its hash is kept. */
function ApiKeyCreate() {
  const [issued, setIssued] = useState<{ id: string; key: string }>();
  const redirect = useRedirect();
  return (
    <>
      <Create mutationOptions={{ onSuccess: (data: { id: string; key: string }) => setIssued(data) }} redirect={false}>
        <SimpleForm>
          <GenericInputs fields={editableFields('ApiKey')} mode="create" />
        </SimpleForm>
      </Create>
      <Dialog open={!!issued} fullWidth maxWidth="sm">
        <DialogTitle>Your new API key</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            Copy it now: it is shown this once and never stored.
          </Alert>
          <MuiTextField value={issued?.key ?? ''} fullWidth slotProps={{ htmlInput: { readOnly: true, 'aria-label': 'API key' } }} onFocus={(e) => e.target.select()} />
          <Box sx={{ mt: 1 }}>
            <Typography variant="body2" color="text.secondary">
              Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
            </Typography>
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => navigator.clipboard?.writeText(issued?.key ?? '')}>Copy</Button>
          <Button variant="contained" onClick={() => redirect('show', 'apiKeys', issued?.id)}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

export const apiKeys = { ...makeResource('apiKeys', { editable: false, columns: ['name', 'role', 'prefix', 'lastUsedAt', 'revokedAt'], showActions: <RevokeButton /> }), create: ApiKeyCreate };
