import type { AccountRow } from './csv';
import { toCsv } from './csv';
import { compareScores, groupOf, RANKED_HEADER, rankedRow, type RankedScore } from '../../../api/src/csv/ranking';

export { groupOf, RANKED_HEADER };

/** What the pages call each group: "needs data" is never shown as a decline (a low score of a qualified account). */
export const GROUP_LABEL = {
  qualified: 'Qualified',
  'needs data': 'Needs data',
  disqualified: 'Disqualified',
} as const;

/** Pure: the prioritised list of a batch, and its CSV. */

/** A score as the ranked list reads it (api/src/csv/ranking.ts). */
export type Scored = RankedScore;

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

/** The ranked list as CSV, one row per account, best first; then the account's attributes as uploaded (so the file can be scored again). */
export function rankedCsv(rows: RankedRow[], attributes: string[] = []): string {
  return toCsv([
    [...RANKED_HEADER, 'line', ...attributes],
    ...rows.map((r) => [
      ...rankedRow(r.rank, r.score, r.account),
      r.line,
      ...attributes.map((a) => r.account.attributes[a]),
    ]),
  ]);
}
