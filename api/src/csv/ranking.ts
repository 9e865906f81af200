/**
 * How a ranked list of scores is ordered (the console's batch scoring and
 * `icp score`): three groups, then by score, highest first, then by better
 * tier. "needs data" (an undetermined score: its tier, disqualification or
 * band could change with its missing attributes) is kept apart from the
 * qualified accounts, whose low scores mean "decline", and from the
 * disqualified ones ("do not pursue", whatever the score).
 */
export type ScoreGroup = 'qualified' | 'needs data' | 'disqualified';

export interface Rankable {
  score: number;
  disqualified: boolean;
  undetermined: boolean;
  tier: { rank: number } | null;
}

const ORDER: Record<ScoreGroup, number> = { qualified: 0, 'needs data': 1, disqualified: 2 };

export const groupOf = (s: Rankable): ScoreGroup =>
  s.disqualified ? 'disqualified' : s.undetermined ? 'needs data' : 'qualified';

/** Best first; equal scores keep their order (the sort is stable). */
export const compareScores = (a: Rankable, b: Rankable): number =>
  ORDER[groupOf(a)] - ORDER[groupOf(b)] ||
  b.score - a.score ||
  (a.tier?.rank ?? Number.MAX_SAFE_INTEGER) - (b.tier?.rank ?? Number.MAX_SAFE_INTEGER);

/** What a row of the ranked list shows of a score (the fields both the console and `icp score` ask for). */
export interface RankedScore extends Rankable {
  maxScore: number;
  tier: { name: string; rank: number } | null;
  band: { name: string } | null;
  action: string;
  disqualifiers: { name: string }[];
  decidingAttributes: string[];
  triggers: { name: string }[];
  missingAttributes: string[];
  icpVersion: number;
}

const names = (xs: { name: string }[]) => xs.map((x) => x.name).join('; ');

/** The ranked list's columns, one definition for the console's CSV and `icp score`'s. */
const COLUMNS: [string, (s: RankedScore, a: { key?: string | null; name?: string | null }) => unknown][] = [
  ['key', (_, a) => a.key ?? ''],
  ['name', (_, a) => a.name ?? ''],
  ['score', (s) => s.score],
  ['maxScore', (s) => s.maxScore],
  ['tier', (s) => s.tier?.name ?? ''],
  ['tierRank', (s) => s.tier?.rank ?? ''],
  ['band', (s) => s.band?.name ?? ''],
  ['group', (s) => groupOf(s)],
  ['action', (s) => s.action],
  ['disqualified', (s) => s.disqualified],
  ['disqualifiers', (s) => names(s.disqualifiers)],
  ['decidingAttributes', (s) => s.decidingAttributes.join('; ')],
  ['triggers', (s) => names(s.triggers)],
  ['missingAttributes', (s) => s.missingAttributes.join('; ')],
  ['icpVersion', (s) => s.icpVersion],
];

/** A score's columns, in any order of accounts (the bulk scoring stream's rows). */
export const SCORE_HEADER = COLUMNS.map(([name]) => name);
export const RANKED_HEADER = ['rank', ...SCORE_HEADER];

/** One account's score as SCORE_HEADER's values. */
export const scoreCells = (s: RankedScore, account: { key?: string | null; name?: string | null }): unknown[] =>
  COLUMNS.map(([, value]) => value(s, account));

/** One row of the ranked list, in RANKED_HEADER's order. */
export const rankedRow = (rank: number, s: RankedScore, account: { key?: string | null; name?: string | null }) => [
  rank,
  ...scoreCells(s, account),
];
