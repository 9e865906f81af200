import type { ReactNode } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField as MuiTextField,
} from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import { useCanAccess, useNotify, useRecordContext, useRefresh, type RaRecord } from 'react-admin';
import { gql } from '../providers/graphql';

/**
 * Revokes the shown record (an API key, an invitation) through its own
 * mutation, for those who may edit the resource, while `revocable` holds.
 */
export function RevokeButton({
  resource,
  revocable,
  mutation,
  variables,
  done,
}: {
  resource: string;
  revocable: (record: RaRecord) => boolean;
  mutation: string;
  variables: (record: RaRecord) => Record<string, unknown>;
  done: string;
}) {
  const record = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const { canAccess } = useCanAccess({ resource, action: 'edit' });
  if (!record || !canAccess || !revocable(record)) return null;
  const revoke = async () => {
    try {
      await gql(mutation, variables(record));
      notify(done, { type: 'success' });
      refresh();
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  return (
    <Button color="error" startIcon={<BlockIcon />} onClick={() => void revoke()}>
      Revoke
    </Button>
  );
}

/** A secret shown once (a new API key, an invitation link): copy it, then go on. */
export function OneTimeSecretDialog({
  title,
  warning,
  label,
  value,
  onDone,
  children,
}: {
  title: string;
  warning: string;
  label: string;
  /** Undefined: the dialog is closed. */
  value: string | undefined;
  onDone: () => void;
  children?: ReactNode;
}) {
  return (
    <Dialog open={value !== undefined} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {warning}
        </Alert>
        <MuiTextField
          value={value ?? ''}
          fullWidth
          slotProps={{ htmlInput: { readOnly: true, 'aria-label': label } }}
          onFocus={(e) => e.target.select()}
        />
        {children}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void navigator.clipboard?.writeText(value ?? '')}>Copy</Button>
        <Button variant="contained" onClick={onDone}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
