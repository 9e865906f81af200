import { Fragment, useState } from 'react';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  IconButton,
  LinearProgress,
  Link,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TablePagination,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import VerifiedIcon from '@mui/icons-material/Verified';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { download } from '../download';
import { gql } from '../providers/graphql';
import { DiffView } from './DiffView';
import { actionColor, type Revision, REVISION_FIELDS, when } from './RecordHistory';
import { entityName, recordRoute } from './entities';
import { filterFromUrl, type HistoryFilterState, filterToUrl, toApi } from './historyFilter';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

const ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'REVERT', 'PUBLISH'];

type Verification = Selected<G.HistoryVerification, 'valid' | 'checked' | 'problem'> & {
  brokenAt: Selected<G.Revision, 'chainIndex' | 'entityType' | 'entityId' | 'at'> | null;
};

// A link inside a row that expands on click opens the link only.
const stop = (e: { stopPropagation: () => void }) => e.stopPropagation();

/** The changed record, linked to its page when the console has one (not after its deletion). */
function RecordLink({ revision }: { revision: Revision }) {
  const route = revision.action === 'DELETE' ? undefined : recordRoute(revision);
  const label = recordLabel(revision);
  return route ? (
    <Link component={RouterLink} to={route} onClick={stop}>
      {label}
    </Link>
  ) : (
    <>{label}</>
  );
}

/** A filter that picks one of its options ([value, label]), or any. */
function AnyOf(props: {
  label: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  width: number;
  options: [string, string][];
}) {
  return (
    <TextField
      size="small"
      select
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      sx={{ minWidth: props.width }}
    >
      <MenuItem value="">Any</MenuItem>
      {props.options.map(([value, label]) => (
        <MenuItem key={value} value={value}>
          {label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Runs the hash-chain verification over the whole workspace history and says plainly whether it holds. */
function Verify() {
  const [result, setResult] = useState<Verification>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        (
          await gql<{ verifyHistory: Verification }>(
            '{ verifyHistory { valid checked problem brokenAt { chainIndex entityType entityId at } } }',
          )
        ).verifyHistory,
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1}>
      <Box>
        <Button variant="contained" startIcon={<VerifiedIcon />} onClick={() => void run()} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify the history'}
        </Button>
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
      {result?.valid && (
        <Alert severity="success" variant="filled" data-testid="verify-result">
          <AlertTitle>History intact</AlertTitle>
          All {result.checked} revisions match their hashes and link to the one before.
        </Alert>
      )}
      {result && !result.valid && (
        <Alert severity="error" variant="filled" data-testid="verify-result">
          <AlertTitle>History broken</AlertTitle>
          {result.problem}
          {result.brokenAt &&
            ` (revision #${result.brokenAt.chainIndex}: ${entityName(result.brokenAt.entityType)} ${result.brokenAt.entityId}, ${when(result.brokenAt.at)})`}
        </Alert>
      )}
    </Stack>
  );
}

/** What a revision changed, as people name it: the record's name, e-mail, slug or version, else its id. */
function recordLabel(r: Revision): string {
  const state = r.after ?? r.before;
  const version = state?.version != null ? `version ${String(state.version)}` : undefined;
  return String(state?.name ?? state?.email ?? state?.slug ?? version ?? r.entityId);
}

/**
 * The workspace's history for auditors: filter by person, ICP, record type,
 * action and time (kept in the URL); expand a change; open the record;
 * export; verify. Each entry's number (#) is the one the export and the
 * verification give (its place in the workspace's chain).
 */
export default function HistoryPage() {
  const [params, setParams] = useSearchParams();
  const filter = filterFromUrl(params);
  const page = Math.max(0, Number(params.get('page') ?? 1) - 1);
  const perPage = Number(params.get('perPage') ?? 25);
  const go = (f: HistoryFilterState, p: number, pp: number) => setParams(filterToUrl(f, p, pp), { replace: true });
  const [open, setOpen] = useState<string>();
  const apiFilter = toApi(filter);
  const { data, error, isFetching } = useQuery({
    queryKey: ['workspace-history', apiFilter, page, perPage],
    queryFn: () =>
      gql<{ history: Revision[]; historyCount: number }>(
        `query($f: HistoryFilter, $o: Int, $l: Int) { history(filter: $f, offset: $o, limit: $l) { ${REVISION_FIELDS} } historyCount(filter: $f) }`,
        {
          f: apiFilter,
          o: page * perPage,
          l: perPage,
        },
      ),
    placeholderData: keepPreviousData,
  });
  // The server's list: an ICP, its versions and its parts (its registry of parts), then the other types.
  const entityTypes = useQuery({
    queryKey: ['history-entity-types'],
    queryFn: () => gql<{ historyEntityTypes: string[] }>('{ historyEntityTypes }'),
    staleTime: Infinity,
  }).data?.historyEntityTypes;
  const icps = useQuery({
    queryKey: ['history-icps'],
    queryFn: () => gql<{ icps: Selected<G.Icp, 'id' | 'name' | 'slug'>[] }>('{ icps(limit: 500) { id name slug } }'),
  }).data?.icps;
  const icpName = (id?: string | null) => (id ? (icps?.find((i) => i.id === id)?.name ?? '') : '');
  const set = (k: keyof HistoryFilterState) => (e: { target: { value: string } }) =>
    go({ ...filter, [k]: e.target.value }, 0, perPage);
  const exportAs = async (format: 'CSV' | 'JSON') => {
    const d = await gql<{ exportHistory: string }>(
      'query($f: HistoryFilter, $format: ExportFormat!) { exportHistory(filter: $f, format: $format) }',
      { f: apiFilter, format },
    );
    download(
      `history.${format.toLowerCase()}`,
      d.exportHistory,
      format === 'CSV' ? 'text/csv;charset=utf-8' : 'application/json',
    );
  };

  return (
    <Card sx={{ mt: 1 }}>
      <Title title="History" />
      <CardContent>
        <Stack spacing={2}>
          <Verify />
          <Typography variant="h6">Changes</Typography>
          <Stack
            direction={{ xs: 'column', md: 'row' }}
            spacing={1}
            component="form"
            role="search"
            aria-label="filter the history"
            onSubmit={(e) => e.preventDefault()}
          >
            <TextField
              size="small"
              label="Who"
              value={filter.actor}
              onChange={set('actor')}
              helperText="Part of a name or e-mail"
            />
            <AnyOf
              label="ICP"
              value={filter.icp}
              onChange={set('icp')}
              width={180}
              options={(icps ?? []).map((i) => [i.id, i.name])}
            />
            <AnyOf
              label="Record type"
              value={filter.entityType}
              onChange={set('entityType')}
              width={180}
              options={(entityTypes ?? []).map((t) => [t, entityName(t)])}
            />
            <AnyOf
              label="Action"
              value={filter.action}
              onChange={set('action')}
              width={140}
              options={ACTIONS.map((a) => [a, a.toLowerCase()])}
            />
            {(['from', 'to'] as const).map((k) => (
              <TextField
                key={k}
                size="small"
                type="datetime-local"
                label={k === 'from' ? 'From' : 'To'}
                value={filter[k]}
                onChange={set(k)}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            ))}
            <Stack direction="row" spacing={1} alignItems="flex-start">
              <Button onClick={() => void exportAs('CSV')}>Export CSV</Button>
              <Button onClick={() => void exportAs('JSON')}>Export JSON</Button>
            </Stack>
          </Stack>
          {error && <Alert severity="error">{error.message}</Alert>}
          {/* Loading shown by a bar, not by dimming the rows: dimmed text falls below the contrast it must keep. */}
          <Box sx={{ height: 4 }}>{isFetching && <LinearProgress aria-label="Loading the history" />}</Box>
          {/* Wider than a phone: the region itself takes focus, so a keyboard can scroll it (rows or not). */}
          <Box
            sx={{ overflowX: 'auto' }}
            tabIndex={0}
            role="region"
            aria-label="History entries"
            aria-busy={isFetching}
          >
            <Table size="small" aria-label="history">
              <TableHead>
                <TableRow>
                  <TableCell />
                  <TableCell>#</TableCell>
                  <TableCell>When</TableCell>
                  <TableCell>Who</TableCell>
                  <TableCell>Action</TableCell>
                  <TableCell>ICP</TableCell>
                  <TableCell>Record type</TableCell>
                  <TableCell>Record</TableCell>
                  <TableCell>Why</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data?.history.map((r) => (
                  <Fragment key={r.seq}>
                    <TableRow
                      hover
                      onClick={() => setOpen(open === r.seq ? undefined : r.seq)}
                      sx={{ cursor: 'pointer' }}
                    >
                      <TableCell padding="checkbox">
                        <IconButton
                          size="small"
                          aria-label={open === r.seq ? 'hide the change' : 'show the change'}
                          aria-expanded={open === r.seq}
                        >
                          {open === r.seq ? <ExpandLessIcon /> : <ExpandMoreIcon />}
                        </IconButton>
                      </TableCell>
                      <TableCell>{r.chainIndex}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(r.at)}</TableCell>
                      <TableCell>{r.actorLabel}</TableCell>
                      <TableCell>
                        <Chip
                          size="small"
                          variant="outlined"
                          label={r.action.toLowerCase()}
                          color={actionColor(r.action)}
                        />
                      </TableCell>
                      <TableCell>
                        {r.icpId && icpName(r.icpId) && (
                          <Link component={RouterLink} to={`/icps/${r.icpId}/show`} onClick={stop}>
                            {icpName(r.icpId)}
                          </Link>
                        )}
                      </TableCell>
                      <TableCell>{entityName(r.entityType)}</TableCell>
                      <TableCell>
                        <RecordLink revision={r} /> · rev {r.revision}
                      </TableCell>
                      <TableCell>{r.reason ?? ''}</TableCell>
                    </TableRow>
                    {open === r.seq && (
                      <TableRow>
                        <TableCell colSpan={9}>
                          <DiffView left={r.before} right={r.after} leftLabel="Before" rightLabel="After" />
                        </TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                ))}
              </TableBody>
            </Table>
          </Box>
          <TablePagination
            component="div"
            count={data?.historyCount ?? 0}
            page={page}
            onPageChange={(_, p) => go(filter, p, perPage)}
            rowsPerPage={perPage}
            onRowsPerPageChange={(e) => go(filter, 0, Number(e.target.value))}
            rowsPerPageOptions={[25, 50, 100]}
          />
        </Stack>
      </CardContent>
    </Card>
  );
}
