import { useCallback, useMemo, useRef, useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { scoreMany } from './api';
import {
  BatchForm,
  download,
  IcpPicker,
  Page,
  Pager,
  type ParsedFile,
  PER_PAGE,
  useCatalogue,
  useChunkedRun,
  useDefault,
  useIcps,
  useUpload,
  VersionPicker,
} from './common';
import { GROUP_LABEL, groupOf, rankedCsv, rankScores, type RankedRow } from './rank';
import { scoreFileAsStream, type StreamResult } from './stream';

/** One GraphQL call's most accounts (fitScores): a larger file is scored through the bulk scoring stream. */
export const STREAM_ABOVE = 10_000;

/** Upload a CSV of accounts, get them scored and ranked, on screen and as a CSV. */
export default function BatchScoring() {
  const icps = useIcps();
  const catalogue = useCatalogue();
  const [icp, setIcp] = useState('');
  const [version, setVersion] = useState('');
  const [ranked, setRanked] = useState<RankedRow[] | null>(null);
  const [page, setPage] = useState(0);
  const { start, cancel, progress, error } = useChunkedRun();
  const [streamed, setStreamed] = useState<StreamResult | null>(null);
  const [streaming, setStreaming] = useState<{ done: number; total: number } | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const streamRun = useRef(0);

  useDefault(icp, setIcp, icps.data?.find((i) => i.latestVersion !== null)?.slug);
  const chooseIcp = useCallback((slug: string) => {
    setIcp(slug);
    setVersion('');
  }, []);

  const score = async (f: ParsedFile) => {
    setRanked(null);
    setStreamed(null);
    setStreamError(null);
    setPage(0);
    const v = version ? Number(version) : undefined;
    if (f.source && f.accounts.length > STREAM_ABOVE) {
      // Every row goes to the server, which reports the bad ones itself: the total counts them too.
      const id = ++streamRun.current;
      const total = f.accounts.length + new Set(f.problems.map((p) => p.line)).size;
      setStreaming({ done: 0, total });
      try {
        const result = await scoreFileAsStream(
          f.source,
          icp,
          v,
          (done) => id === streamRun.current && setStreaming({ done: Math.min(done, total), total }),
          () => id !== streamRun.current,
        );
        if (id === streamRun.current) setStreamed(result);
      } catch (e) {
        if (id === streamRun.current) setStreamError(e);
      } finally {
        if (id === streamRun.current) setStreaming(null);
      }
      return;
    }
    const scores = await start(f, (chunk) => scoreMany(icp, chunk, v));
    if (scores) setRanked(rankScores(f.accounts, f.lines, scores));
  };

  const { file, onParsed } = useUpload(
    (f) => void score(f),
    () => {
      cancel();
      streamRun.current++;
      setStreaming(null);
      setRanked(null);
      setStreamed(null);
    },
  );

  // By tier for the qualified; the accounts that need data and the disqualified ones counted apart.
  const counts = useMemo(() => {
    if (!ranked) return null;
    const byTier = new Map<string, number>();
    for (const r of ranked) {
      const group = groupOf(r.score);
      const name = group === 'qualified' ? (r.score.tier?.name ?? 'No tier') : GROUP_LABEL[group];
      byTier.set(name, (byTier.get(name) ?? 0) + 1);
    }
    return [...byTier.entries()];
  }, [ranked]);

  return (
    <Page
      title="Batch scoring"
      intro="How should I prioritise these accounts? Upload a CSV; every account is scored by a published version and ranked, best first."
    >
      <BatchForm
        icps={icps}
        catalogue={catalogue}
        pickers={(list) => (
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' } }}>
            <IcpPicker icps={list} value={icp} onChange={chooseIcp} />
            <VersionPicker icp={icp} value={version} onChange={setVersion} />
          </Box>
        )}
        file={file}
        onParsed={onParsed}
        run={{ progress: progress ?? streaming, error: error ?? streamError, verb: 'Scored' }}
        canRun={!!icp}
        hasResult={!!ranked || !!streamed}
        onRun={() => file && void score(file)}
        labels={{ first: (n) => `Score the ${n} readable accounts`, again: 'Score again' }}
      />
      {streamed && <StreamedResult result={streamed} icp={icp} />}
      {ranked && (
        <Card variant="outlined" component="section" aria-label="Ranked accounts">
          <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
            <Box
              sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', justifyContent: 'space-between' }}
            >
              <Typography variant="h6" component="h2">
                {ranked.length.toLocaleString()} accounts, ranked
              </Typography>
              <Button
                variant="contained"
                startIcon={<DownloadIcon />}
                onClick={() => download(`${icp}-ranked.csv`, rankedCsv(ranked, file?.attributeColumns ?? []))}
              >
                Download ranked CSV
              </Button>
            </Box>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} data-testid="tier-counts">
              {counts?.map(([name, n]) => (
                <Chip key={name} size="small" label={`${name}: ${n}`} />
              ))}
            </Box>
            <Typography variant="body2" color="text.secondary">
              Qualified accounts first, by score; then those that need data (their tier, disqualification or band could
              change with what is missing); disqualified accounts last, whatever their score. Ties go to the better
              tier, then the file's order.
            </Typography>
            <TableContainer sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
              <Table size="small" aria-label="Ranked accounts" data-testid="ranked-table">
                <TableHead>
                  <TableRow>
                    <TableCell align="right">Rank</TableCell>
                    <TableCell>Account</TableCell>
                    <TableCell align="right">Score</TableCell>
                    <TableCell>Tier</TableCell>
                    <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>Band</TableCell>
                    <TableCell>Action</TableCell>
                    <TableCell>Disqualified</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {ranked.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((r) => (
                    <TableRow key={r.index} data-testid="ranked-row" data-group={groupOf(r.score)}>
                      <TableCell align="right">{r.rank}</TableCell>
                      <TableCell>
                        {r.account.name ?? r.account.key}
                        {r.account.name && r.account.key && r.account.key !== r.account.name && (
                          <Typography variant="caption" color="text.secondary" display="block">
                            {r.account.key}
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell align="right">
                        {r.score.score} / {r.score.maxScore}
                      </TableCell>
                      <TableCell>{r.score.tier?.name ?? '—'}</TableCell>
                      <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                        {r.score.band?.name ?? '—'}
                      </TableCell>
                      <TableCell>{r.score.action}</TableCell>
                      <TableCell>
                        {r.score.disqualified ? `Yes: ${r.score.disqualifiers.map((d) => d.name).join('; ')}` : 'No'}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
            <Pager count={ranked.length} page={page} onPage={setPage} />
          </CardContent>
        </Card>
      )}
    </Page>
  );
}

/** A file scored through the stream: the counts, the first bad rows, and the scores as a CSV in the file's order. */
function StreamedResult({ result, icp }: { result: StreamResult; icp: string }) {
  const { summary, badRows } = result;
  const chips = [
    ...Object.entries(summary.tiers).map(([name, n]) => `${name === 'none' ? 'No tier' : name}: ${n}`),
    ...Object.entries(summary.bands).map(([name, n]) => `Band ${name === 'none' ? 'none' : name}: ${n}`),
    `Needs data: ${summary.needsData}`,
    `Disqualified: ${summary.disqualified}`,
  ];
  return (
    <Card variant="outlined" component="section" aria-label="Scored accounts">
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography variant="h6" component="h2" data-testid="streamed-count">
            {summary.scored.toLocaleString('en')} of {summary.rows.toLocaleString('en')} accounts scored
            {result.version ? ` by version ${result.version}` : ''}
          </Typography>
          <Button
            variant="contained"
            startIcon={<DownloadIcon />}
            onClick={() => download(`${icp}-scores.csv`, result.csv)}
          >
            Download scores CSV
          </Button>
        </Box>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} data-testid="stream-counts">
          {chips.map((c) => (
            <Chip key={c} size="small" label={c} />
          ))}
        </Box>
        <Typography variant="body2" color="text.secondary">
          More accounts than one call takes: the file was scored as a stream, and its scores are in the CSV in the
          file&apos;s order (each with its line), not ranked here. Sort the CSV by group, then score, to rank it.
        </Typography>
        {summary.stopped && (
          <Typography color="error" role="alert">
            Stopped: {summary.stopped.message}
          </Typography>
        )}
        {badRows.length > 0 && (
          <Box component="section" aria-label="Rows not scored" data-testid="bad-rows">
            <Typography variant="subtitle2" component="h3">
              {summary.errors.toLocaleString('en')} rows not scored
              {summary.errors > badRows.length ? ` (the first ${badRows.length} shown; all in the CSV)` : ''}
            </Typography>
            <Box component="ul" sx={{ m: 0, pl: 3 }}>
              {badRows.map((b) => (
                <li key={b.line}>{b.error}</li>
              ))}
            </Box>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
