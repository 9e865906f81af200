import { useState } from 'react';
import { Card, CardContent, Typography } from '@mui/material';
import { SimpleForm, Title, useNotify, useRedirect } from 'react-admin';
import { gql } from '../providers/graphql';
import { GenericInputs } from './GenericInputs';
import { editableFields } from './fields';
import { makeResource } from './resource';
import { OneTimeSecretDialog, RevokeButton } from './OneTimeSecret';

/** Withdraws a pending invitation: its token stops working. */
const RevokeInvitation = () => (
  <RevokeButton
    resource="invitations"
    revocable={(invitation) => invitation.status === 'PENDING'}
    mutation="mutation($id: ID!) { revokeInvitation(id: $id) { id } }"
    variables={(invitation) => ({ id: invitation.id })}
    done="Invitation revoked"
  />
);

/** Inviting shows the acceptance link once, to pass on; only the token's hash is kept. */
function InvitationCreate() {
  const [issued, setIssued] = useState<{ id: string; link: string }>();
  const notify = useNotify();
  const redirect = useRedirect();
  const invite = async (values: Record<string, unknown>) => {
    try {
      const { inviteUser } = await gql(
        'mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token invitation { id } } }',
        {
          i: { email: values.email, role: values.role, name: values.name || null },
        },
      );
      setIssued({
        id: inviteUser.invitation.id,
        link: `${window.location.origin}${window.location.pathname}#/accept?token=${inviteUser.token}`,
      });
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
      <OneTimeSecretDialog
        title="Invitation link"
        warning="Copy it now and send it to the person invited: it is shown this once."
        label="Invitation link"
        value={issued?.link}
        onDone={() => redirect('show', 'invitations', issued?.id)}
      />
    </Card>
  );
}

export const invitations = {
  ...makeResource('invitations', {
    editable: false,
    columns: ['email', 'role', 'status', 'expiresAt', 'invitedBy'],
    showActions: <RevokeInvitation />,
  }),
  create: InvitationCreate,
};
