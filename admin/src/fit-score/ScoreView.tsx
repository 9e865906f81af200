import {
  Alert,
  AlertTitle,
  Box,
  Card,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { FitScore, ScoreCheck, TierMatch } from './api';
import { GROUP_LABEL, groupOf } from './rank';

const GROUP_COLOR = { qualified: 'success', 'needs data': 'warning', disqualified: 'error' } as const;

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

/** A titled block of the result. */
const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Card variant="outlined" component="section" aria-label={title}>
    <CardContent>
      <Typography variant="h6" component="h3" gutterBottom>
        {title}
      </Typography>
      {children}
    </CardContent>
  </Card>
);

/** One horizontal bar per dimension: its score against its maximum (plain SVG-free boxes; the numbers are in the text too). */
export const DimensionBars = ({ dimensions }: { dimensions: FitScore['dimensions'] }) => (
  <Stack spacing={1.5} data-testid="dimension-chart">
    {dimensions.map((d) => {
      const pct = d.max > 0 ? Math.max(0, Math.min(100, (d.score / d.max) * 100)) : 0;
      return (
        <Box key={d.name}>
          <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {d.name}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
              {fmt(d.score)} / {fmt(d.max)}
            </Typography>
          </Box>
          <Box
            role="meter"
            aria-label={d.name}
            aria-valuemin={0}
            aria-valuemax={d.max}
            aria-valuenow={d.score}
            aria-valuetext={`${fmt(d.score)} of ${fmt(d.max)}`}
            sx={{ height: 14, borderRadius: 1, bgcolor: 'action.hover', overflow: 'hidden' }}
          >
            <Box
              sx={{
                width: `${pct}%`,
                height: '100%',
                bgcolor: pct >= 75 ? 'success.main' : pct >= 40 ? 'primary.main' : 'warning.main',
              }}
            />
          </Box>
          {d.hits.length > 0 && (
            <Typography variant="caption" color="text.secondary">
              {d.hits.map((h) => `${h.name}${h.points !== null ? ` (+${fmt(h.points)})` : ''}`).join(' · ')}
            </Typography>
          )}
        </Box>
      );
    })}
    {dimensions.length === 0 && <Typography color="text.secondary">This ICP has no scoring dimensions.</Typography>}
  </Stack>
);

const KIND_LABEL: Record<ScoreCheck['kind'], string> = {
  TIER: 'Tier criteria',
  DISQUALIFIER: 'Disqualifiers',
  TRIGGER: 'Trigger events',
  RULE: 'Scoring rules',
};

/** Every check the evaluation ran, grouped by kind: whether it held, its points, what it lacked. */
const Checks = ({ checks }: { checks: ScoreCheck[] }) => (
  <Stack spacing={2}>
    {(['TIER', 'DISQUALIFIER', 'TRIGGER', 'RULE'] as const).map((kind) => {
      const rows = checks.filter((c) => c.kind === kind);
      if (!rows.length) return null;
      return (
        <Box key={kind} sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
          <Typography variant="subtitle2">{KIND_LABEL[kind]}</Typography>
          <Table size="small" aria-label={KIND_LABEL[kind]}>
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">Held</TableCell>
                <TableCell>Name</TableCell>
                {kind === 'RULE' && <TableCell align="right">Points</TableCell>}
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Expression</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((c) => (
                <TableRow key={c.partId} data-testid="check-row" data-held={c.held}>
                  <TableCell padding="checkbox" aria-label={c.held ? 'held' : 'did not hold'}>
                    <Box component="span" sx={{ color: c.held ? 'success.main' : 'text.disabled', fontWeight: 700 }}>
                      {c.held ? '✓' : '✗'}
                    </Box>
                  </TableCell>
                  <TableCell>
                    {c.dimension ? `${c.dimension}: ` : ''}
                    {c.name}
                    {c.missingAttributes.length > 0 && (
                      <Typography variant="caption" color="warning.main" display="block">
                        missing: {c.missingAttributes.join(', ')}
                      </Typography>
                    )}
                  </TableCell>
                  {kind === 'RULE' && (
                    <TableCell align="right">{c.held && c.points !== null ? fmt(c.points) : '–'}</TableCell>
                  )}
                  <TableCell
                    sx={{
                      display: { xs: 'none', md: 'table-cell' },
                      fontFamily: 'monospace',
                      fontSize: 12,
                      wordBreak: 'break-word',
                    }}
                  >
                    {c.expression}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      );
    })}
  </Stack>
);

const OUTCOME: Record<TierMatch['conditions'][number]['outcome'], { mark: string; color: string; label: string }> = {
  HELD: { mark: '✓', color: 'success.main', label: 'held' },
  FAILED: { mark: '✗', color: 'error.main', label: 'failed' },
  UNKNOWN: { mark: '?', color: 'warning.main', label: 'unknown: missing data' },
};

/** Every tier, condition by condition: held, failed or unknown (missing data); the matched or nearest tier marked. */
const TierConditions = ({ score }: { score: FitScore }) => (
  <Stack spacing={1.5} data-testid="tier-matches">
    {score.tierMatches.map((m) => (
      <Box key={m.tier.id} data-testid="tier-match">
        <Typography variant="subtitle2">
          {m.tier.name}: {m.held} of {m.total} held
          {score.tier?.id === m.tier.id && ' (matched)'}
          {score.nearestTier?.tier.id === m.tier.id && ' (nearest)'}
        </Typography>
        <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none' }}>
          {m.conditions.map((c, i) => (
            <Box component="li" key={i} data-outcome={c.outcome} sx={{ display: 'flex', gap: 1 }}>
              <Box component="span" aria-label={OUTCOME[c.outcome].label} sx={{ color: OUTCOME[c.outcome].color }}>
                {OUTCOME[c.outcome].mark}
              </Box>
              <Box component="code" sx={{ fontSize: 12, wordBreak: 'break-word' }}>
                {c.text}
                {c.error && ` (${c.error})`}
              </Box>
            </Box>
          ))}
        </Box>
      </Box>
    ))}
    {score.tierMatches.length === 0 && <Typography color="text.secondary">No tier has criteria.</Typography>}
  </Stack>
);

/** No disqualifier held: said plainly only when every one could be checked (an unknown one may still hold). */
const NotDisqualified = ({ checks }: { checks: ScoreCheck[] }) => {
  const unknown = checks.filter((c) => c.kind === 'DISQUALIFIER' && c.missingAttributes.length > 0);
  return unknown.length ? (
    <Alert severity="info" data-testid="not-disqualified">
      No disqualifier holds so far; {unknown.length} could not be checked for missing data:{' '}
      {unknown.map((c) => `${c.name} (${c.missingAttributes.join(', ')})`).join('; ')}.
    </Alert>
  ) : (
    <Alert severity="success" data-testid="not-disqualified">
      No disqualifier holds.
    </Alert>
  );
};

const List = ({ items, empty }: { items: React.ReactNode[]; empty: string }) =>
  items.length ? (
    <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
      {items.map((it, i) => (
        <li key={i}>{it}</li>
      ))}
    </Box>
  ) : (
    <Typography color="text.secondary">{empty}</Typography>
  );

/** The whole answer for one account: tier, band, disqualifiers, the chart per dimension, every check, and what to do next. */
export const ScoreView = ({ score }: { score: FitScore }) => (
  <Stack spacing={2} data-testid="score-result">
    <Card variant="outlined">
      <CardContent>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 2 }}>
          <Typography variant="h4" component="p" data-testid="total-score">
            {fmt(score.score)}{' '}
            <Typography component="span" color="text.secondary">
              / {fmt(score.maxScore)}
            </Typography>
          </Typography>
          <Chip
            label={GROUP_LABEL[groupOf(score)]}
            color={GROUP_COLOR[groupOf(score)]}
            data-testid="verdict"
            data-group={groupOf(score)}
          />
          <Chip
            label={`Tier: ${score.tier ? score.tier.name : 'none'}`}
            color={score.tier ? 'primary' : 'default'}
            data-testid="tier"
          />
          <Chip
            label={`Band: ${score.band ? score.band.name : 'none'}`}
            color={score.band ? 'secondary' : 'default'}
            variant="outlined"
            data-testid="band"
          />
          <Typography variant="body2" color="text.secondary">
            {score.icpSlug}, version {score.icpVersion}
          </Typography>
        </Box>
        <Typography sx={{ mt: 1 }} data-testid="action">
          <strong>Action:</strong> {score.action}
        </Typography>
      </CardContent>
    </Card>
    {score.disqualified ? (
      <Alert severity="error" data-testid="disqualified">
        <AlertTitle>Disqualified</AlertTitle>
        <List items={score.disqualifiers.map((d) => `${d.name}${d.reason ? `: ${d.reason}` : ''}`)} empty="" />
      </Alert>
    ) : (
      <NotDisqualified checks={score.explanation} />
    )}
    {score.undetermined && (
      <Alert severity="warning" data-testid="undetermined">
        <AlertTitle>Needs data</AlertTitle>
        The tier, the disqualification or the band could change with: {score.decidingAttributes.join(', ')}
      </Alert>
    )}
    {score.missingAttributes.length > 0 && (
      <Alert severity="warning" data-testid="missing-attributes">
        <AlertTitle>Missing attributes</AlertTitle>
        The rules that need these did not match: {score.missingAttributes.join(', ')}
      </Alert>
    )}
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
      <Section title="Tiers, condition by condition">
        <TierConditions score={score} />
      </Section>
      <Section title="Score by dimension">
        <DimensionBars dimensions={score.dimensions} />
      </Section>
      <Section title="Personas to engage">
        <List
          items={score.personas.map(
            (p) =>
              `${p.name}${p.jobTitles.length ? ` (${p.jobTitles.join(', ')})` : ''} — ${p.buyingRoles.map((r) => r.toLowerCase().replace(/_/g, ' ')).join(', ')}`,
          )}
          empty="None for this tier."
        />
      </Section>
      <Section title="Use cases to probe">
        <List
          items={score.useCases.map((u) => (
            <>
              <strong>{u.name}</strong>
              {u.industry ? ` (${u.industry})` : ''}
              {u.useCases.length > 0 && <Typography variant="body2">Use cases: {u.useCases.join('; ')}</Typography>}
              {u.painPoints.length > 0 && (
                <Typography variant="body2" color="text.secondary">
                  Pains: {u.painPoints.join('; ')}
                </Typography>
              )}
              {u.keyMetrics.length > 0 && (
                <Typography variant="body2" color="text.secondary">
                  Metrics: {u.keyMetrics.join('; ')}
                </Typography>
              )}
              {u.competitors.length > 0 && (
                <Typography variant="body2" color="text.secondary">
                  Competitors: {u.competitors.join(', ')}
                </Typography>
              )}
            </>
          ))}
          empty="No pattern for this account's industry."
        />
      </Section>
      <Section title="Trigger events observed">
        <List items={score.triggers.map((t) => `${t.name}${t.reason ? `: ${t.reason}` : ''}`)} empty="None observed." />
      </Section>
    </Box>
    <Section title="Every check, and whether it held">
      <Checks checks={score.explanation} />
    </Section>
  </Stack>
);
