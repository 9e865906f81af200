import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import PublishIcon from '@mui/icons-material/Publish';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCanAccess, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { gql } from '../providers/graphql';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

export type Version = Selected<G.IcpVersion, 'version' | 'changelog' | 'publishedAt' | 'publishedBy' | 'snapshotHash'>;

/** The ICP's published versions, newest first (shared by its page's toolbar and its Versions tab). */
export function useIcpVersions(id: string | undefined) {
  return useQuery({
    queryKey: ['icp-versions', id],
    queryFn: () =>
      gql<{ icpVersions: Version[] }>(
        'query($icp: String!) { icpVersions(icp: $icp) { version changelog publishedAt publishedBy snapshotHash } }',
        { icp: id! },
      ).then((d) => d.icpVersions),
    enabled: !!id,
  });
}

/** After a publish or a revert: the versions, the draft's diff and checks, the history and the record. */
export function useReloadIcp() {
  const queryClient = useQueryClient();
  const refresh = useRefresh();
  return async () => {
    await queryClient.invalidateQueries({
      predicate: (q) => ['icp-versions', 'icp-diff', 'icp-check', 'history'].includes(String(q.queryKey[0])),
    });
    refresh();
  };
}

/** Publishing the draft as the next version, with a changelog. */
export function PublishDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const icp = useRecordContext();
  const notify = useNotify();
  const reload = useReloadIcp();
  const id = icp ? String(icp.id) : undefined;
  const versions = useIcpVersions(id);
  const next = (versions.data?.[0]?.version ?? 0) + 1;
  const [changelog, setChangelog] = useState('');
  const publish = async () => {
    try {
      const d = await gql<{ publishIcp: Version }>(
        'mutation($icp: String!, $c: String!) { publishIcp(icp: $icp, changelog: $c) { version } }',
        { icp: id!, c: changelog },
      );
      notify(`Published version ${d.publishIcp.version}`, { type: 'success' });
      onClose();
      setChangelog('');
      await reload();
    } catch (e) {
      notify((e as Error).message, { type: 'error', multiLine: true });
    }
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        Publish {String(icp?.name ?? '')} as version {next}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          Client tools score with the new version as soon as it is published. The changelog is kept with the version.
        </Typography>
        <TextField
          label="Changelog"
          value={changelog}
          onChange={(e) => setChangelog(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          autoFocus
          required
          sx={{ mt: 1 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void publish()} disabled={!changelog.trim()}>
          Publish version {next}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** "Publish" with its dialog, for those who may publish. */
export function PublishButton({ variant = 'contained' }: { variant?: 'contained' | 'text' }) {
  const { canAccess } = useCanAccess({ resource: 'icps', action: 'edit' });
  const [open, setOpen] = useState(false);
  if (!canAccess) return null;
  return (
    <>
      <Button variant={variant} size="small" startIcon={<PublishIcon />} onClick={() => setOpen(true)}>
        Publish
      </Button>
      <PublishDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
