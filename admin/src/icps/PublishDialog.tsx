import { useState } from 'react';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import PublishIcon from '@mui/icons-material/Publish';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCanAccess, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { gql } from '../providers/graphql';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

export type Version = Selected<G.IcpVersion, 'version' | 'changelog' | 'publishedAt' | 'publishedBy' | 'snapshotHash'>;
export type Report = Selected<G.DraftReport, 'publishable'> & {
  warnings: Selected<G.IcpWarning, 'kind' | 'message'>[];
  examples: Selected<G.ExampleResult, 'exampleId' | 'name' | 'passed' | 'failures'>[];
};

/** Why Publish is off, in words, or null when it may be used. */
export function publishBlocker(
  unpublished: number | undefined,
  latest: number | undefined,
  examples: Report['examples'] | undefined,
): string | null {
  if (unpublished === 0) return `Nothing to publish: the draft is the same as version ${latest}.`;
  const failing = examples?.filter((x) => !x.passed) ?? [];
  if (failing.length)
    return `${failing.length === 1 ? 'An example account fails' : `${failing.length} example accounts fail`}: ${failing
      .map((x) => `${x.name} (${x.failures.join('; ')})`)
      .join('; ')}. Publishing is refused until they pass.`;
  return null;
}

/** What publishing would change now (icpChanges against the latest version) and whether the examples pass. */
export function useDraftStatus(id: string | undefined) {
  return useQuery({
    // Keyed like the Versions tab's diff and checks, so a save, publish or revert refreshes both.
    queryKey: ['icp-check', id, 'status'],
    queryFn: () =>
      gql<{ icpBySlug: { unpublishedChanges: number }; checkIcp: { examples: Report['examples'] } }>(
        `query($icp: String!) {
          icpBySlug(idOrSlug: $icp) { unpublishedChanges }
          checkIcp(icp: $icp) { examples { exampleId name passed failures } }
        }`,
        { icp: id! },
      ),
    enabled: !!id,
  });
}

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

/**
 * Draft vs live, always in sight: the count of unpublished changes, and
 * "Publish" with its dialog for those who may publish, off with the reason
 * when nothing changed or an example account fails.
 */
export function PublishButton({ variant = 'contained' }: { variant?: 'contained' | 'text' }) {
  const icp = useRecordContext();
  const id = icp ? String(icp.id) : undefined;
  const { canAccess } = useCanAccess({ resource: 'icps', action: 'edit' });
  const status = useDraftStatus(id);
  const versions = useIcpVersions(id);
  const [open, setOpen] = useState(false);
  const unpublished = status.data?.icpBySlug.unpublishedChanges;
  const blocker = publishBlocker(unpublished, versions.data?.[0]?.version, status.data?.checkIcp.examples);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', maxWidth: '100%' }}>
      {unpublished !== undefined && (
        <Chip
          size="small"
          data-testid="unpublished-changes"
          color={unpublished ? 'warning' : 'success'}
          label={
            unpublished ? `${unpublished} unpublished change${unpublished === 1 ? '' : 's'}` : 'Everything is published'
          }
        />
      )}
      {canAccess && (
        <>
          <Box component="span" title={blocker ?? undefined}>
            <Button
              variant={variant}
              size="small"
              startIcon={<PublishIcon />}
              onClick={() => setOpen(true)}
              disabled={!!blocker || unpublished === undefined}
              aria-describedby={blocker ? 'publish-blocker' : undefined}
            >
              Publish
            </Button>
          </Box>
          {blocker && (
            <Typography
              id="publish-blocker"
              data-testid="publish-blocker"
              variant="caption"
              color="text.secondary"
              sx={{ maxWidth: 420 }}
            >
              {blocker}
            </Typography>
          )}
          <PublishDialog open={open} onClose={() => setOpen(false)} />
        </>
      )}
    </Box>
  );
}
