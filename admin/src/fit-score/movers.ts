/** Pure: a simulation's totals, across every chunk of the file. */

/** As the API's Movement enum. */
export type Movement = 'UP' | 'DOWN' | 'IN' | 'OUT' | 'SAME';
interface Side {
  tier: { partId: string } | null;
  band: { name: string } | null;
  disqualified: boolean;
}
interface Sim {
  before: Side | null;
  after: Side;
  changed: boolean;
  movement: Movement;
}

export interface MoveSummary {
  total: number;
  changed: number;
  /** Accounts whose tier (or segment) differs, including to or from none. */
  tierMoves: number;
  /** Accounts whose action band differs. */
  bandMoves: number;
  disqualifiedMoves: number;
  byMovement: Record<Movement, number>;
}

export function summarise(sims: Sim[]): MoveSummary {
  const s: MoveSummary = {
    total: sims.length,
    changed: 0,
    tierMoves: 0,
    bandMoves: 0,
    disqualifiedMoves: 0,
    byMovement: { UP: 0, DOWN: 0, IN: 0, OUT: 0, SAME: 0 },
  };
  for (const x of sims) {
    if (x.changed) s.changed++;
    s.byMovement[x.movement]++;
    // By the tier's own id: the same tier has another id in each version.
    if ((x.before?.tier?.partId ?? null) !== (x.after.tier?.partId ?? null)) s.tierMoves++;
    if ((x.before?.band?.name ?? null) !== (x.after.band?.name ?? null)) s.bandMoves++;
    if ((x.before?.disqualified ?? false) !== x.after.disqualified) s.disqualifiedMoves++;
  }
  return s;
}
