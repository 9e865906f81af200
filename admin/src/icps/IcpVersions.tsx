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
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useCanAccess, useNotify, useRecordContext } from 'react-admin';
import { gql } from '../providers/graphql';
import { ChangeList, type RecordChange } from '../history/DiffView';
import { NativeSelect } from '../fit-score/common';
import { when } from '../history/RecordHistory';
import { ExportIcpButton } from './IcpFile';
import { ExportSqlButton, SqlDialectSelect, useSqlDialect } from './ExportSql';
import { type Report, useIcpVersions, useReloadIcp } from './PublishDialog';

/**
 * An ICP's published versions, what the draft changes since the latest, the
 * checks before publishing, and publishing with a changelog.
 */
export function IcpVersions() {
  const icp = useRecordContext();
  const notify = useNotify();
  const reload = useReloadIcp();
  const { canAccess: canPublish } = useCanAccess({ resource: 'icps', action: 'edit' });
  const id = String(icp?.id);
  const versions = useIcpVersions(id);
  const latest = versions.data?.[0];
  // Compare any two states: a version, or the draft (to = undefined).
  const [base, setBase] = useState<number>();
  const [target, setTarget] = useState<number>();
  const from = base ?? latest?.version;
  const changes = useQuery({
    queryKey: ['icp-diff', id, from ?? null, target ?? null, icp?.revision],
    queryFn: () =>
      gql<{ icpChanges: RecordChange[] }>(
        `query($icp: String!, $from: Int, $to: Int) {
          icpChanges(icp: $icp, from: $from, to: $to) { entityType recordId name action fields { field before after } }
        }`,
        { icp: id, from: from ?? null, to: target ?? null },
      ).then((d) => d.icpChanges),
    enabled: !!icp && versions.isSuccess,
  });
  const report = useQuery({
    queryKey: ['icp-check', id, icp?.revision],
    queryFn: () =>
      gql<{ checkIcp: Report }>(
        'query($icp: String!) { checkIcp(icp: $icp) { publishable warnings { kind message } examples { exampleId name passed failures } } }',
        { icp: id },
      ).then((d) => d.checkIcp),
    enabled: !!icp && canPublish,
  });
  const [dialect, setDialect] = useSqlDialect();
  const [reverting, setReverting] = useState<number>();
  const [reason, setReason] = useState('');

  const revert = async () => {
    try {
      await gql(
        'mutation($icp: String!, $v: Int!, $r: String) { revertIcpToVersion(icp: $icp, version: $v, reason: $r) { id } }',
        { icp: id, v: reverting, r: reason || `Draft back to version ${reverting}` },
      );
      notify(`The draft is back to version ${reverting}`, { type: 'success' });
      setReverting(undefined);
      await reload();
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };

  if (versions.error) return <Alert severity="error">{versions.error.message}</Alert>;
  const versionOptions = (versions.data ?? []).map((v) => ({
    value: String(v.version),
    label: `Version ${v.version}`,
  }));
  const title =
    from == null
      ? 'Never published: everything in the draft is new'
      : `Version ${from} → ${target ? `version ${target}` : 'the draft'}`;
  return (
    <Stack spacing={3}>
      <Box>
        <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
          <Typography variant="h6">Compare versions</Typography>
        </Stack>
        {versionOptions.length > 0 && (
          <Stack direction="row" spacing={2} sx={{ mt: 2, maxWidth: 520 }}>
            <NativeSelect
              label="Compare from"
              name="compare-from"
              value={from == null ? '' : String(from)}
              onChange={(v) => setBase(Number(v))}
              options={versionOptions}
            />
            <NativeSelect
              label="to"
              name="compare-to"
              value={target == null ? '' : String(target)}
              onChange={(v) => setTarget(v ? Number(v) : undefined)}
              options={[{ value: '', label: 'The draft' }, ...versionOptions]}
            />
          </Stack>
        )}
        <Typography variant="subtitle1" sx={{ mt: 2 }}>
          {title}
        </Typography>
        {changes.data && (
          <ChangeList
            changes={changes.data}
            empty={
              target ? 'No differences between these versions.' : 'No differences: the draft is the published version.'
            }
          />
        )}
        {changes.error && <Alert severity="error">{changes.error.message}</Alert>}
      </Box>
      {report.data && (
        <Box>
          <Typography variant="h6">Before publishing</Typography>
          {report.data.warnings.map((w, i) => (
            <Alert key={i} severity="warning" sx={{ mb: 0.5 }}>
              {w.message}
            </Alert>
          ))}
          <Stack direction="row" gap={0.5} flexWrap="wrap" sx={{ mt: 1 }}>
            {report.data.examples.map((x) => (
              <Chip
                key={x.exampleId}
                size="small"
                color={x.passed ? 'success' : 'error'}
                label={`${x.passed ? '✓' : '✗'} ${x.name}`}
                title={x.failures.join('; ')}
              />
            ))}
          </Stack>
          {!report.data.publishable && (
            <Alert severity="error" sx={{ mt: 1 }}>
              An example account gets the wrong outcome: publishing is refused until it passes.
            </Alert>
          )}
        </Box>
      )}
      <Box>
        <Typography variant="h6">Published versions</Typography>
        {!!versions.data?.length && <SqlDialectSelect value={dialect} onChange={setDialect} />}
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="published versions">
            <TableHead>
              <TableRow>
                <TableCell>Version</TableCell>
                <TableCell>Published</TableCell>
                <TableCell>By</TableCell>
                <TableCell>Changelog</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {versions.data?.map((v) => (
                <TableRow key={v.version} selected={v.version === from} data-testid={`version-${v.version}`}>
                  <TableCell>v{v.version}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(v.publishedAt)}</TableCell>
                  <TableCell>{v.publishedBy}</TableCell>
                  <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{v.changelog}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <ExportIcpButton version={v.version} label="Export" />
                    <ExportSqlButton version={v.version} dialect={dialect} />
                    <Button
                      size="small"
                      onClick={() => {
                        setBase(v.version);
                        setTarget(undefined);
                      }}
                      disabled={v.version === from && target === undefined}
                    >
                      Compare with the draft
                    </Button>
                    {canPublish && (
                      <Button size="small" onClick={() => setReverting(v.version)}>
                        Revert draft to this
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      </Box>
      <Dialog open={reverting != null} onClose={() => setReverting(undefined)} fullWidth maxWidth="sm">
        <DialogTitle>Bring the draft back to version {reverting}?</DialogTitle>
        <DialogContent>
          <Typography variant="body2">
            Every part changed since version {reverting} gets a new revision; nothing is deleted from the history, and
            nothing is published until you publish.
          </Typography>
          <TextField label="Why" value={reason} onChange={(e) => setReason(e.target.value)} fullWidth sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setReverting(undefined)}>Cancel</Button>
          <Button variant="contained" onClick={() => void revert()}>
            Revert the draft
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
