import { useMemo, useState } from 'react';
import {
  Alert,
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
import { type Movement, simulate, type SimulatedAccount } from './api';
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
} from './common';
import { toCsv, type AccountRow } from './csv';
import { summarise } from './movers';
const round = (n: number) => String(Math.round(n * 100) / 100);

const MOVE: Record<Movement, { label: string; color: 'success' | 'error' | 'info' | 'warning' | 'default' }> = {
  UP: { label: '↑ up', color: 'success' },
  IN: { label: '→ in', color: 'info' },
  DOWN: { label: '↓ down', color: 'warning' },
  OUT: { label: '← out', color: 'error' },
  SAME: { label: 'same', color: 'default' },
};

const tierName = (s: SimulatedAccount['before']) => (s ? (s.tier?.name ?? 'no tier') : 'not scored');
const dqName = (s: SimulatedAccount['before']) => (s ? (s.disqualified ? 'yes' : 'no') : '—');
const bandName = (s: SimulatedAccount['before']) => (s ? (s.band?.name ?? 'no band') : '—');
const Arrow = ({ from, to }: { from: string; to: string }) =>
  from === to ? (
    <>{to}</>
  ) : (
    <>
      <Box component="span" sx={{ color: 'text.secondary' }}>
        {from}
      </Box>
      {' → '}
      <strong>{to}</strong>
    </>
  );

/** Run the draft of an ICP against a CSV of accounts: who moves tier or band compared with the latest published version. */
export default function Simulation() {
  const icps = useIcps();
  const catalogue = useCatalogue();
  const [icp, setIcp] = useState('');
  const [rows, setRows] = useState<{ account: AccountRow; line: number; sim: SimulatedAccount }[] | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [page, setPage] = useState(0);
  const { start: startRun, cancel, progress, error } = useChunkedRun();

  useDefault(icp, setIcp, icps.data?.[0]?.slug);
  const current = icps.data?.find((i) => i.slug === icp);

  const start = async (f: ParsedFile, slug = icp) => {
    setRows(null);
    setPage(0);
    if (!slug) return cancel();
    let version: number | null = null;
    const sims = await startRun(f, async (chunk) => {
      const s = await simulate(slug, chunk);
      version = s.publishedVersion;
      return s.accounts;
    });
    if (!sims) return;
    setPublished(version);
    setRows(sims.map((sim, i) => ({ account: f.accounts[i], line: f.lines[i], sim })));
  };

  const { file, onParsed } = useUpload(
    (f) => void start(f),
    () => {
      cancel();
      setRows(null);
    },
  );

  const summary = useMemo(() => (rows ? summarise(rows.map((r) => r.sim)) : null), [rows]);
  const movers = useMemo(() => rows?.filter((r) => r.sim.changed) ?? [], [rows]);

  const moversCsv = () =>
    toCsv([
      [
        'key',
        'name',
        'movement',
        'tierBefore',
        'tierAfter',
        'bandBefore',
        'bandAfter',
        'scoreBefore',
        'scoreAfter',
        'disqualifiedBefore',
        'disqualifiedAfter',
        'line',
      ],
      ...movers.map(({ account, line, sim }) => [
        account.key,
        account.name,
        sim.movement,
        sim.before?.tier?.name,
        sim.after.tier?.name,
        sim.before?.band?.name,
        sim.after.band?.name,
        sim.before?.score,
        sim.after.score,
        sim.before?.disqualified,
        sim.after.disqualified,
        line,
      ]),
    ]);

  return (
    <Page
      title="Simulate the draft"
      intro="Before publishing: score accounts with the ICP's current draft and with its latest published version, and see who moves tier or band."
    >
      <BatchForm
        icps={icps}
        catalogue={catalogue}
        pickers={(list) => (
          <Box sx={{ maxWidth: 640 }}>
            <IcpPicker
              icps={list}
              value={icp}
              needsPublished={false}
              onChange={(slug) => {
                setIcp(slug);
                cancel();
                setRows(null);
              }}
            />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {current
                ? current.latestVersion === null
                  ? 'Never published: every account is compared with no score.'
                  : `The draft against published version ${current.latestVersion}.`
                : ''}
            </Typography>
          </Box>
        )}
        file={file}
        onParsed={onParsed}
        run={{ progress, error, verb: 'Simulated' }}
        canRun={!!icp}
        hasResult={!!rows}
        onRun={() => file && void start(file)}
        labels={{ first: (n) => `Simulate with the ${n} readable accounts`, again: 'Simulate again' }}
      />
      {summary && rows && (
        <Card variant="outlined" component="section" aria-label="Simulation result">
          <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <Typography variant="h6" component="h2">
              Draft vs {published === null ? 'nothing published' : `published v${published}`}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} data-testid="simulation-summary">
              <Chip label={`${summary.total} accounts`} />
              <Chip
                color={summary.changed ? 'primary' : 'default'}
                label={`${summary.changed} change`}
                data-testid="summary-changed"
              />
              <Chip variant="outlined" label={`${summary.tierMoves} move tier`} data-testid="summary-tier" />
              <Chip variant="outlined" label={`${summary.bandMoves} move band`} data-testid="summary-band" />
              <Chip variant="outlined" label={`${summary.disqualifiedMoves} (un)disqualified`} />
              {(['UP', 'IN', 'DOWN', 'OUT'] as const).map((m) => (
                <Chip key={m} size="small" color={MOVE[m].color} label={`${MOVE[m].label}: ${summary.byMovement[m]}`} />
              ))}
            </Box>
            {movers.length === 0 ? (
              <Alert severity="info" data-testid="no-movers">
                No account changes: the draft scores these accounts exactly as the published version does.
              </Alert>
            ) : (
              <>
                <Box
                  sx={{
                    display: 'flex',
                    flexWrap: 'wrap',
                    gap: 1,
                    alignItems: 'center',
                    justifyContent: 'space-between',
                  }}
                >
                  <Typography variant="subtitle1" component="h3">
                    {movers.length} account{movers.length === 1 ? '' : 's'} that change
                  </Typography>
                  <Button startIcon={<DownloadIcon />} onClick={() => download(`${icp}-simulation.csv`, moversCsv())}>
                    Download movers CSV
                  </Button>
                </Box>
                <TableContainer sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
                  <Table size="small" aria-label="Accounts that change" data-testid="movers-table">
                    <TableHead>
                      <TableRow>
                        <TableCell>Account</TableCell>
                        <TableCell>Movement</TableCell>
                        <TableCell>Tier</TableCell>
                        <TableCell>Band</TableCell>
                        <TableCell align="right">Score</TableCell>
                        <TableCell>Disqualified</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {movers.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map(({ account, sim }, i) => (
                        <TableRow key={i} data-testid="mover-row">
                          <TableCell>{account.name ?? account.key}</TableCell>
                          <TableCell>
                            <Chip size="small" color={MOVE[sim.movement].color} label={MOVE[sim.movement].label} />
                          </TableCell>
                          <TableCell>
                            <Arrow from={tierName(sim.before)} to={tierName(sim.after)} />
                          </TableCell>
                          <TableCell>
                            <Arrow from={bandName(sim.before)} to={bandName(sim.after)} />
                          </TableCell>
                          <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                            <Arrow from={sim.before ? round(sim.before.score) : '—'} to={round(sim.after.score)} />
                            {sim.scoreDelta !== 0 && ` (${sim.scoreDelta > 0 ? '+' : ''}${round(sim.scoreDelta)})`}
                          </TableCell>
                          <TableCell>
                            <Arrow from={dqName(sim.before)} to={dqName(sim.after)} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </TableContainer>
                <Pager count={movers.length} page={page} onPage={setPage} />
              </>
            )}
          </CardContent>
        </Card>
      )}
    </Page>
  );
}
