import { useCallback, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  Typography,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { scoreMany } from './api';
import {
  CsvInput,
  download,
  ErrorAlert,
  FileSummary,
  IcpPicker,
  Page,
  type ParsedFile,
  Progress,
  useCatalogue,
  useChunkedRun,
  useDefault,
  useIcps,
  VersionPicker,
} from './common';
import { rankedCsv, rankScores, type RankedRow } from './rank';

const PER_PAGE = 50;

/** Upload a CSV of accounts, get them scored and ranked, on screen and as a CSV. */
export default function BatchScoring() {
  const icps = useIcps();
  const catalogue = useCatalogue();
  const [icp, setIcp] = useState('');
  const [version, setVersion] = useState('');
  const [file, setFile] = useState<ParsedFile | null>(null);
  const [ranked, setRanked] = useState<RankedRow[] | null>(null);
  const [page, setPage] = useState(0);
  const { start, cancel, progress, error } = useChunkedRun();

  useDefault(icp, setIcp, icps.data?.find((i) => i.latestVersion !== null)?.slug);
  const chooseIcp = useCallback((slug: string) => {
    setIcp(slug);
    setVersion('');
  }, []);

  const score = async (f: ParsedFile) => {
    setRanked(null);
    setPage(0);
    const v = version ? Number(version) : undefined;
    const scores = await start(f, (chunk) => scoreMany(icp, chunk, v));
    if (scores) setRanked(rankScores(f.accounts, f.lines, scores));
  };

  // A new file is scored at once when it read cleanly; with problems, the user decides.
  const onParsed = (f: ParsedFile) => {
    setFile(f);
    if (f.problems.length === 0) void score(f);
    else {
      cancel();
      setRanked(null);
    }
  };

  const counts = useMemo(() => {
    if (!ranked) return null;
    const byTier = new Map<string, number>();
    for (const r of ranked)
      byTier.set(
        r.score.disqualified ? 'Disqualified' : (r.score.tier?.name ?? 'No tier'),
        (byTier.get(r.score.disqualified ? 'Disqualified' : (r.score.tier?.name ?? 'No tier')) ?? 0) + 1,
      );
    return [...byTier.entries()];
  }, [ranked]);

  const busy = progress !== null;
  return (
    <Page
      title="Batch scoring"
      intro="How should I prioritise these accounts? Upload a CSV; every account is scored by a published version and ranked, best first."
    >
      <ErrorAlert error={icps.error ?? catalogue.error} />
      {(icps.isPending || catalogue.isPending) && <LinearProgress aria-label="Loading" />}
      {icps.data && catalogue.data && (
        <Card variant="outlined">
          <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' } }}>
              <IcpPicker icps={icps.data} value={icp} onChange={chooseIcp} />
              <VersionPicker icp={icp} value={version} onChange={setVersion} />
            </Box>
            <CsvInput catalogue={catalogue.data} onParsed={onParsed} />
            <FileSummary file={file} />
            {file && file.accounts.length > 0 && (
              <Box>
                <Button variant="contained" disabled={busy || !icp} onClick={() => void score(file)}>
                  {file.problems.length && !ranked
                    ? `Score the ${file.accounts.length.toLocaleString()} readable accounts`
                    : 'Score again'}
                </Button>
              </Box>
            )}
            {progress && <Progress done={progress.done} total={progress.total} verb="Scored" />}
          </CardContent>
        </Card>
      )}
      <ErrorAlert error={error} />
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
              Disqualified accounts come last, whatever their score; ties go to the better tier, then the file's order.
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
                    <TableCell>Disqualified</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {ranked.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((r) => (
                    <TableRow key={r.index} data-testid="ranked-row">
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
                      <TableCell>
                        {r.score.disqualified ? `Yes: ${r.score.disqualifiers.map((d) => d.name).join('; ')}` : 'No'}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
            {ranked.length > PER_PAGE && (
              <TablePagination
                component="div"
                count={ranked.length}
                page={page}
                rowsPerPage={PER_PAGE}
                rowsPerPageOptions={[PER_PAGE]}
                onPageChange={(_, p) => setPage(p)}
              />
            )}
          </CardContent>
        </Card>
      )}
    </Page>
  );
}
