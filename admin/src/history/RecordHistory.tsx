import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Radio,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCanAccess, useNotify, useRecordContext, useRefresh, useResourceContext } from 'react-admin';
import { gql } from '../providers/graphql';
import { DiffView } from './DiffView';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

export type Revision = Selected<
  G.Revision,
  'seq' | 'revision' | 'action' | 'actorLabel' | 'at' | 'reason' | 'entityType' | 'entityId' | 'chainIndex' | 'icpId'
> & { before: Record<string, unknown> | null; after: Record<string, unknown> | null; patch: unknown[] };

export const REVISION_FIELDS =
  'seq revision action actorLabel at reason entityType entityId icpId before after patch chainIndex';

export const actionColor = (a: string) =>
  (({ CREATE: 'success', UPDATE: 'info', DELETE: 'error', REVERT: 'warning', PUBLISH: 'secondary' }) as const)[
    a as 'CREATE'
  ] ?? 'default';
export const when = (at: string) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * A record's revisions, newest first: who, when, what and why. Pick any two
 * to see them side by side; bring the record back to any earlier revision.
 */
export function RecordHistory({ entityId }: { entityId: string }) {
  const record = useRecordContext();
  const resource = useResourceContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const { canAccess: canRevert } = useCanAccess({ resource: resource ?? '', action: 'edit' });
  const { data: revisions, error } = useQuery({
    queryKey: ['history', entityId],
    queryFn: () =>
      gql<{ history: Revision[] }>(
        `query($id: ID!) { history(filter: { entityId: $id }, limit: 500) { ${REVISION_FIELDS} } }`,
        { id: entityId },
      ).then((d) => d.history),
  });
  const [pick, setPick] = useState<{ left?: number; right?: number }>({});
  const [reverting, setReverting] = useState<Revision>();
  const [reason, setReason] = useState('');

  if (error) return <Alert severity="error">{error.message}</Alert>;
  if (!revisions) return <Typography color="text.secondary">Loading the history…</Typography>;
  const latest = revisions[0];
  const left = revisions.find((r) => r.revision === (pick.left ?? revisions[1]?.revision ?? latest.revision));
  const right = revisions.find((r) => r.revision === (pick.right ?? latest.revision));

  const revert = async () => {
    if (!reverting) return;
    try {
      await gql(
        'mutation($id: ID!, $rev: Int!, $to: Int!, $reason: String) { revertRecord(id: $id, expectedRevision: $rev, toRevision: $to, reason: $reason) { id revision } }',
        {
          id: entityId,
          rev: record?.revision ?? latest.revision,
          to: reverting.revision,
          reason: reason || `Back to revision ${reverting.revision}`,
        },
      );
      notify(`Brought back to revision ${reverting.revision}, as a new revision`, { type: 'success' });
      setReverting(undefined);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['history', entityId] });
      refresh();
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };

  return (
    <Stack spacing={2}>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="revisions">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">From</TableCell>
              <TableCell padding="checkbox">To</TableCell>
              <TableCell>Revision</TableCell>
              <TableCell>Action</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Why</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {revisions.map((r) => (
              <TableRow key={r.seq} data-testid={`revision-${r.revision}`} selected={r === left || r === right}>
                {(['left', 'right'] as const).map((side) => (
                  <TableCell key={side} padding="checkbox">
                    <Radio
                      size="small"
                      checked={r === (side === 'left' ? left : right)}
                      onChange={() => setPick((p) => ({ ...p, [side]: r.revision }))}
                      inputProps={{
                        'aria-label': `compare ${side === 'left' ? 'from' : 'to'} revision ${r.revision}`,
                      }}
                    />
                  </TableCell>
                ))}
                <TableCell>{r.revision}</TableCell>
                <TableCell>
                  <Chip size="small" label={r.action.toLowerCase()} color={actionColor(r.action)} variant="outlined" />
                </TableCell>
                <TableCell>{r.actorLabel}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(r.at)}</TableCell>
                <TableCell>{r.reason ?? ''}</TableCell>
                <TableCell>
                  {canRevert && r !== latest && r.after && (
                    <Button size="small" onClick={() => setReverting(r)}>
                      Revert to this
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {left && right && (
        <Box>
          <Typography variant="subtitle2" gutterBottom>
            Revision {left.revision} → revision {right.revision}
          </Typography>
          <DiffView
            left={left.after}
            right={right.after}
            leftLabel={`Revision ${left.revision}`}
            rightLabel={`Revision ${right.revision}`}
            all={left === right}
          />
        </Box>
      )}
      <Dialog open={!!reverting} onClose={() => setReverting(undefined)} fullWidth maxWidth="md">
        <DialogTitle>Revert to revision {reverting?.revision}?</DialogTitle>
        <DialogContent>
          <Typography variant="body2" gutterBottom>
            The record comes back to how it was at revision {reverting?.revision}; this is recorded as a new revision,
            and nothing in the history is lost.
          </Typography>
          {reverting && (
            <DiffView
              left={latest.after}
              right={reverting.after}
              leftLabel="Now"
              rightLabel={`Revision ${reverting.revision}`}
            />
          )}
          <TextField
            label="Why"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            fullWidth
            sx={{ mt: 2 }}
            autoFocus
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setReverting(undefined)}>Cancel</Button>
          <Button variant="contained" onClick={() => void revert()}>
            Revert
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
