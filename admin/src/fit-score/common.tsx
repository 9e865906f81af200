import { download } from '../download';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  TablePagination,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { GraphQLRequestError } from '../providers/graphql';
import {
  ChunkError,
  type IcpChoice,
  inChunks,
  loadCatalogue,
  loadIcps,
  loadScoringAttributes,
  loadVersions,
} from './api';
import {
  type AccountRow,
  accountsFromCsv,
  type AccountsFromCsv,
  type AttributeSpec,
  type CsvProblem,
  toCsv,
} from './csv';

/** Shared parts of the scoring pages: pickers, the CSV file input, problems, progress, downloads. */

export const useIcps = () => useQuery({ queryKey: ['scoring', 'icps'], queryFn: loadIcps });
export const useCatalogue = () => useQuery({ queryKey: ['scoring', 'attributes'], queryFn: loadCatalogue });
/** What a published version of the ICP reads (none asked before an ICP is chosen). */
export const useScoringAttributes = (icp: string, version?: number) =>
  useQuery({
    queryKey: ['scoring', 'attributes-used', icp, version ?? 'latest'],
    queryFn: () => loadScoringAttributes(icp, version),
    enabled: !!icp,
  });
export const useVersions = (icp: string | undefined) =>
  useQuery({ queryKey: ['scoring', 'versions', icp], queryFn: () => loadVersions(icp!), enabled: !!icp });

/** A native select (keyboard- and touch-friendly) in MUI's outlined style. */
export function NativeSelect(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string; disabled?: boolean }[];
  helperText?: React.ReactNode;
  disabled?: boolean;
  name?: string;
  sx?: object;
}) {
  return (
    <TextField
      select
      label={props.label}
      name={props.name}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      helperText={props.helperText}
      disabled={props.disabled}
      size="small"
      fullWidth
      sx={props.sx}
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
    >
      {props.options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

/** The ICPs to choose from; those never published cannot be scored (`needsPublished`). */
export function IcpPicker({
  icps,
  value,
  onChange,
  needsPublished = true,
}: {
  icps: IcpChoice[];
  value: string;
  onChange: (slug: string) => void;
  needsPublished?: boolean;
}) {
  return (
    <NativeSelect
      label="ICP"
      name="icp"
      value={value}
      onChange={onChange}
      options={[
        { value: '', label: 'Choose an ICP…', disabled: true },
        ...icps.map((i) => ({
          value: i.slug,
          label: `${i.name} (${i.slug})${i.latestVersion === null ? ' — never published' : ''}`,
          disabled: needsPublished && i.latestVersion === null,
        })),
      ]}
    />
  );
}

/** Published versions, newest first; '' = the latest. */
export function VersionPicker({ icp, value, onChange }: { icp: string; value: string; onChange: (v: string) => void }) {
  const versions = useVersions(icp || undefined);
  const list = versions.data ?? [];
  return (
    <NativeSelect
      label="Version"
      name="version"
      value={value}
      onChange={onChange}
      disabled={!icp}
      helperText={versions.error ? versions.error.message : undefined}
      options={[
        { value: '', label: list.length ? `Latest published (v${list[0].version})` : 'Latest published' },
        ...list.map((v) => ({
          value: String(v.version),
          label: `v${v.version} — ${new Date(v.publishedAt).toLocaleDateString()}${v.changelog ? `: ${v.changelog.slice(0, 60)}` : ''}`,
        })),
      ]}
    />
  );
}

/** Problems found in a file or refused by the server, each with its line and column. */
export function ProblemList({
  title,
  problems,
  severity = 'error',
}: {
  title: string;
  problems: CsvProblem[];
  severity?: 'error' | 'warning';
}) {
  if (!problems.length) return null;
  const shown = problems.slice(0, 50);
  return (
    <Alert severity={severity} data-testid="csv-problems" sx={{ '& ul': { m: 0, pl: 2.5 } }}>
      <AlertTitle>{title}</AlertTitle>
      <ul>
        {shown.map((p, i) => (
          <li key={i}>
            {p.line !== undefined ? `Line ${p.line}` : 'File'}
            {p.column ? `, column "${p.column}"` : ''}: {p.message}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && (
        <Typography variant="body2">…and {problems.length - shown.length} more.</Typography>
      )}
    </Alert>
  );
}

/** An error from a call, readable: a chunk's refusals by CSV line, else the server's message. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ChunkError)
    return <ProblemList title="The server refused some accounts; nothing was scored" problems={error.problems} />;
  const message =
    error instanceof GraphQLRequestError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <Alert severity="error" role="alert" data-testid="server-error">
      {message}
    </Alert>
  );
}

/** A determinate bar for chunked calls. */
export function Progress({ done, total, verb }: { done: number; total: number; verb: string }) {
  const value = total ? (done / total) * 100 : 0;
  return (
    <Box>
      <LinearProgress variant="determinate" value={value} aria-label={`${verb} progress`} />
      <Typography variant="body2" color="text.secondary" aria-live="polite">
        {verb} {done.toLocaleString()} of {total.toLocaleString()} accounts…
      </Typography>
    </Box>
  );
}

export { download };

/** An empty CSV with one column per attribute of the catalogue, to fill in. */
export const templateCsv = (catalogue: AttributeSpec[]) => toCsv([['key', 'name', ...catalogue.map((a) => a.name)]]);

export interface ParsedFile extends AccountsFromCsv {
  fileName: string;
  /** The file itself (batch scoring streams a file larger than one GraphQL call from it). */
  source?: Blob;
}

/** A CSV file input: reads the file and converts it with the catalogue. */
export function CsvInput({ catalogue, onParsed }: { catalogue: AttributeSpec[]; onParsed: (f: ParsedFile) => void }) {
  const id = useId();
  const [reading, setReading] = useState(false);
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }}>
      <Box component="label" htmlFor={id} sx={{ fontWeight: 500 }}>
        CSV of accounts
      </Box>
      <Box
        component="input"
        id={id}
        type="file"
        accept=".csv,text/csv"
        data-testid="csv-input"
        disabled={reading}
        sx={{ maxWidth: '100%' }}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
          const input = e.target;
          const file = input.files?.[0];
          if (!file) return;
          setReading(true);
          void file
            .text()
            .then((text) => onParsed({ ...accountsFromCsv(text, catalogue), fileName: file.name, source: file }))
            .finally(() => {
              setReading(false);
              // The same file may be chosen again (after fixing it).
              input.value = '';
            });
        }}
      />
      <Button size="small" onClick={() => download('accounts-template.csv', templateCsv(catalogue))}>
        Download a template
      </Button>
    </Box>
  );
}

/** Explains the expected file; shows what was read. */
export function FileSummary({ file }: { file: ParsedFile | null }) {
  if (!file) {
    return (
      <Typography variant="body2" color="text.secondary">
        The first row names the columns: attribute names from the catalogue, plus optional <code>key</code> (or{' '}
        <code>id</code>) and <code>name</code>. Empty cells leave the attribute out; list values are separated by{' '}
        <code>;</code> (<code>[]</code> for an empty list); booleans are true/false.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" data-testid="file-summary">
        {file.fileName}: {file.accounts.length.toLocaleString()} account{file.accounts.length === 1 ? '' : 's'} read
        {file.problems.length ? `, ${file.problems.length} problem${file.problems.length === 1 ? '' : 's'}` : ''}.
      </Typography>
      <ProblemList title="Problems in the file (those rows are left out)" problems={file.problems} />
      {file.ignoredColumns.length > 0 && (
        <Alert severity="warning" data-testid="ignored-columns">
          Not in the attribute catalogue, so not sent: {file.ignoredColumns.map((c) => `"${c}"`).join(', ')}.
        </Alert>
      )}
    </>
  );
}

/** Keeps a value in sync with the first choice once the list loads. */
export function useDefault(value: string, set: (v: string) => void, first: string | undefined) {
  useEffect(() => {
    if (!value && first) set(first);
  }, [value, first, set]);
}

/** Page frame: title and a responsive padding. */
export const Page = ({
  title,
  intro,
  children,
}: {
  title: string;
  intro: React.ReactNode;
  children: React.ReactNode;
}) => (
  <Box sx={{ p: { xs: 1, sm: 2 }, maxWidth: 1400, display: 'flex', flexDirection: 'column', gap: 2 }}>
    <Title title={title} />
    <Box>
      <Typography variant="h5" component="h1">
        {title}
      </Typography>
      <Typography color="text.secondary">{intro}</Typography>
    </Box>
    {children}
  </Box>
);

/**
 * A long run over a file's accounts, sent in chunks: its progress and error,
 * and the rule that only the latest run counts. Starting another run,
 * `cancel()`, or leaving the page stops the one before; `start` then gives null.
 */
export function useChunkedRun() {
  const run = useRef(0);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );
  const cancel = useCallback(() => {
    run.current++;
    setError(null);
    setProgress(null);
  }, []);
  const start = useCallback(
    async <T,>(f: ParsedFile, call: (chunk: AccountRow[]) => Promise<T[]>): Promise<T[] | null> => {
      const id = ++run.current;
      setError(null);
      if (!f.accounts.length) return null;
      const total = f.accounts.length;
      setProgress({ done: 0, total });
      try {
        const out = await inChunks(
          f.accounts,
          f.lines,
          call,
          (done) => id === run.current && setProgress({ done, total }),
          () => id !== run.current,
        );
        return id === run.current ? out : null;
      } catch (e) {
        if (id === run.current) setError(e);
        return null;
      } finally {
        if (id === run.current) setProgress(null);
      }
    },
    [],
  );
  return { start, cancel, progress, error };
}

/** Rows per page of the batch pages' tables. */
export const PER_PAGE = 50;

/** The pagination under a batch table, when it has more than one page. */
export const Pager = ({ count, page, onPage }: { count: number; page: number; onPage: (page: number) => void }) =>
  count > PER_PAGE ? (
    <TablePagination
      component="div"
      count={count}
      page={page}
      rowsPerPage={PER_PAGE}
      rowsPerPageOptions={[PER_PAGE]}
      onPageChange={(_, p) => onPage(p)}
    />
  ) : null;

/** A file read by CsvInput: kept, and run at once when it read cleanly; with problems, the user decides (`clear` drops the last result). */
export function useUpload(run: (f: ParsedFile) => void, clear: () => void) {
  const [file, setFile] = useState<ParsedFile | null>(null);
  const onParsed = (f: ParsedFile) => {
    setFile(f);
    if (f.problems.length === 0) run(f);
    else clear();
  };
  return { file, onParsed };
}

/**
 * The form of the batch pages (batch scoring, simulation): what to run
 * against (`pickers`), the CSV input and what it read, the run button and
 * the progress; the loading and the errors around it.
 */
export function BatchForm(props: {
  icps: { data?: IcpChoice[]; error: unknown; isPending: boolean };
  catalogue: { data?: AttributeSpec[]; error: unknown; isPending: boolean };
  pickers: (icps: IcpChoice[]) => React.ReactNode;
  file: ParsedFile | null;
  onParsed: (f: ParsedFile) => void;
  run: { progress: { done: number; total: number } | null; error: unknown; verb: string };
  canRun: boolean;
  hasResult: boolean;
  onRun: () => void;
  /** The button's label: `first(n)` for a file with problems not yet run, else `again`. */
  labels: { first: (readable: string) => string; again: string };
}) {
  const { icps, catalogue, file, run } = props;
  return (
    <>
      <ErrorAlert error={icps.error ?? catalogue.error} />
      {(icps.isPending || catalogue.isPending) && <LinearProgress aria-label="Loading" />}
      {icps.data && catalogue.data && (
        <Card variant="outlined">
          <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            {props.pickers(icps.data)}
            <CsvInput catalogue={catalogue.data} onParsed={props.onParsed} />
            <FileSummary file={file} />
            {file && file.accounts.length > 0 && (
              <Box>
                <Button variant="contained" disabled={run.progress !== null || !props.canRun} onClick={props.onRun}>
                  {file.problems.length && !props.hasResult
                    ? props.labels.first(file.accounts.length.toLocaleString())
                    : props.labels.again}
                </Button>
              </Box>
            )}
            {run.progress && <Progress done={run.progress.done} total={run.progress.total} verb={run.verb} />}
          </CardContent>
        </Card>
      )}
      <ErrorAlert error={run.error} />
    </>
  );
}
