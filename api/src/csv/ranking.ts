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
