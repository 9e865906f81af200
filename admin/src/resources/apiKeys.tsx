import { useState } from 'react';
import { Box, Typography } from '@mui/material';
import { Create, SimpleForm, useRedirect } from 'react-admin';
import { OneTimeSecretDialog, RevokeButton } from './OneTimeSecret';
import { GenericInputs } from './GenericInputs';
import { editableFields } from './fields';
import { makeResource } from './resource';

/** Revokes the key everywhere at once; the key cannot be used again. */
const RevokeKey = () => (
  <RevokeButton
    resource="apiKeys"
    revocable={(key) => !key.revokedAt}
    mutation="mutation($id: ID!, $rev: Int!) { revokeApiKey(id: $id, expectedRevision: $rev) { id } }"
    variables={(key) => ({ id: key.id, rev: key.revision })}
    done="Key revoked"
  />
);

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
      <OneTimeSecretDialog
        title="Your new API key"
        warning="Copy it now: it is shown this once and never stored."
        label="API key"
        value={issued?.key}
        onDone={() => redirect('show', 'apiKeys', issued?.id)}
      >
        <Box sx={{ mt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
          </Typography>
        </Box>
      </OneTimeSecretDialog>
    </>
  );
}

export const apiKeys = {
  ...makeResource('apiKeys', {
    editable: false,
    columns: ['name', 'role', 'prefix', 'lastUsedAt', 'revokedAt'],
    showActions: <RevokeKey />,
  }),
  create: ApiKeyCreate,
};
