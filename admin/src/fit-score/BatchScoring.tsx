import { useCallback, useMemo, useState } from 'react';
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

/** Upload a CSV of accounts, get them scored and ranked, on screen and as a CSV. */
export default function BatchScoring() {
  const icps = useIcps();
  const catalogue = useCatalogue();
  const [icp, setIcp] = useState('');
  const [version, setVersion] = useState('');
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

  const { file, onParsed } = useUpload(
    (f) => void score(f),
    () => {
      cancel();
      setRanked(null);
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
        run={{ progress, error, verb: 'Scored' }}
        canRun={!!icp}
        hasResult={!!ranked}
        onRun={() => file && void score(file)}
        labels={{ first: (n) => `Score the ${n} readable accounts`, again: 'Score again' }}
      />
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
