import { useState } from 'react';
import { Alert, Button, Card, CardContent, Dialog, DialogActions, DialogContent, DialogTitle, TextField as MuiTextField, Typography } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import { SimpleForm, Title, useCanAccess, useNotify, useRecordContext, useRedirect, useRefresh } from 'react-admin';
import { gql } from '../providers/graphql';
import { GenericInputs } from './GenericInputs';
import { editableFields } from './fields';
import { makeResource } from './resource';

/** Withdraws a pending invitation: its token stops working. */
function RevokeButton() {
  const invitation = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const { canAccess } = useCanAccess({ resource: 'invitations', action: 'edit' });
  if (!invitation || !canAccess || invitation.status !== 'PENDING') return null;
  const revoke = async () => {
    try {
      await gql('mutation($id: ID!) { revokeInvitation(id: $id) { id } }', { id: invitation.id });
      notify('Invitation revoked', { type: 'success' });
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

/** Inviting shows the acceptance link once, to pass on; only the token's hash is kept. */
function InvitationCreate() {
  const [issued, setIssued] = useState<{ id: string; link: string }>();
  const notify = useNotify();
  const redirect = useRedirect();
  const invite = async (values: Record<string, unknown>) => {
    try {
      const { inviteUser } = await gql('mutation($i: InvitationInput!) { inviteUser(input: $i) { token invitation { id } } }', {
        i: { email: values.email, role: values.role, name: values.name || null },
      });
      setIssued({ id: inviteUser.invitation.id, link: `${window.location.origin}${window.location.pathname}#/accept?token=${inviteUser.token}` });
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  return (
    <Card>
      <Title title="Invite someone" />
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          They join this workspace once they accept: signed in if they have an account, or by choosing a password.
        </Typography>
      </CardContent>
      <SimpleForm onSubmit={invite}>
        <GenericInputs fields={editableFields('Invitation')} mode="create" />
      </SimpleForm>
      <Dialog open={!!issued} fullWidth maxWidth="sm">
        <DialogTitle>Invitation link</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            Copy it now and send it to the person invited: it is shown this once.
          </Alert>
          <MuiTextField value={issued?.link ?? ''} fullWidth slotProps={{ htmlInput: { readOnly: true, 'aria-label': 'Invitation link' } }} onFocus={(e) => e.target.select()} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => navigator.clipboard?.writeText(issued?.link ?? '')}>Copy</Button>
          <Button variant="contained" onClick={() => redirect('show', 'invitations', issued?.id)}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

export const invitations = {
  ...makeResource('invitations', { editable: false, columns: ['email', 'role', 'status', 'expiresAt', 'invitedBy'], showActions: <RevokeButton /> }),
  create: InvitationCreate,
};
