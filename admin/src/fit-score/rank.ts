import type { AccountRow } from './csv';
import { toCsv } from './csv';
import { compareScores, groupOf } from '../../../api/src/csv/ranking';

export { groupOf };

/** Pure: the prioritised list of a batch, and its CSV. */

export interface Scored {
  tier: { name: string; rank: number } | null;
  band: { name: string; action: string } | null;
  /** What to do: the band's action, "Do not pursue: …" or "Needs data: …". */
  action: string;
  undetermined: boolean;
  decidingAttributes: string[];
  score: number;
  maxScore: number;
  disqualified: boolean;
  disqualifiers: { name: string }[];
  icpVersion: number;
}

export interface RankedRow {
  rank: number;
  /** Position in the uploaded file (0-based). */
  index: number;
  account: AccountRow;
  line: number;
  score: Scored;
}

/**
 * How to prioritise (api/src/csv/ranking.ts, as `icp score`): qualified
 * accounts first, then those that need data, then the disqualified ones (a
 * disqualifier means "do not pursue", whatever the score); within each, by
 * score, highest first; ties by better tier, then file order.
 */
export function rankScores(accounts: AccountRow[], lines: number[], scores: Scored[]): RankedRow[] {
  const rows = scores.map((score, index) => ({ rank: 0, index, account: accounts[index], line: lines[index], score }));
  rows.sort((a, b) => compareScores(a.score, b.score) || a.index - b.index);
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

export const RANKED_HEADER = [
  'rank',
  'key',
  'name',
  'score',
  'maxScore',
  'tier',
  'tierRank',
  'band',
  'group',
  'action',
  'disqualified',
  'disqualifiers',
  'decidingAttributes',
  'icpVersion',
  'line',
];

/** The ranked list as CSV, one row per account, best first; then the account's attributes as uploaded (so the file can be scored again). */
export function rankedCsv(rows: RankedRow[], attributes: string[] = []): string {
  return toCsv([
    [...RANKED_HEADER, ...attributes],
    ...rows.map((r) => [
      r.rank,
      r.account.key ?? '',
      r.account.name ?? '',
      r.score.score,
      r.score.maxScore,
      r.score.tier?.name ?? '',
      r.score.tier?.rank ?? '',
      r.score.band?.name ?? '',
      groupOf(r.score),
      r.score.action,
      r.score.disqualified,
      r.score.disqualifiers.map((d) => d.name).join('; '),
      r.score.decidingAttributes.join('; '),
      r.score.icpVersion,
      r.line,
      ...attributes.map((a) => r.account.attributes[a]),
    ]),
  ]);
}
