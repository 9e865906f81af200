import { catalogueOf } from '../fit-score/expressions';
import { compare, type Operation } from 'fast-json-patch';
import { CrudService } from '../core/crud.service';
import { db, type RequestContext } from '../core/context';
import type { Icp } from '../modules/icp/icp.entity';
import { snapshotOf } from '../core/revision-writer';

/**
 * The parts of an ICP in a snapshot, in the order they are restored (parents
 * first) — deletions run in the reverse order.
 */
export const PARTS = [
  ['tiers', 'Tier'],
  ['scoringDimensions', 'ScoringDimension'],
  ['personas', 'Persona'],
  ['useCasePatterns', 'UseCasePattern'],
  ['disqualifiers', 'Disqualifier'],
  ['triggerEvents', 'TriggerEvent'],
  ['scoringRules', 'ScoringRule'],
  ['actionBands', 'ActionBand'],
  ['exampleAccounts', 'ExampleAccount'],
] as const;

type Row = Record<string, unknown>;
/** The whole ICP, plus the attribute catalogue its expressions were checked against. */
export type IcpSnapshot = { icp: Row; attributes: Row[] } & Record<(typeof PARTS)[number][0], Row[]>;

const byOrder = (a: Row, b: Row) =>
  Number(a.rank ?? a.position ?? 0) - Number(b.rank ?? b.position ?? 0) ||
  Number(b.minScore ?? 0) - Number(a.minScore ?? 0) ||
  String(a.id).localeCompare(String(b.id));

/** The whole draft of an ICP as plain data, in a stable order. */
export async function snapshotIcp(ctx: RequestContext, icp: Icp): Promise<IcpSnapshot> {
  const snapshot = { icp: snapshotOf(icp)! } as IcpSnapshot;
  // The catalogue is frozen with the version, so its scores stay reproducible when the catalogue changes.
  snapshot.attributes = (await catalogueOf(ctx)) as unknown as IcpSnapshot['attributes'];
  for (const [key, type] of PARTS) {
    const rows = await db(ctx).find(CrudService.byType.get(type)!.cfg.entity, {
      where: { icpId: icp.id, workspaceId: ctx.workspaceId } as never,
    });
    snapshot[key] = rows.map((r) => snapshotOf(r)!).sort(byOrder);
  }
  return snapshot;
}

/** Records keyed by id, so a diff says "/tiers/<id>/name", not "/tiers/2/name". */
function keyed(s: IcpSnapshot): Row {
  const out: Row = { icp: s.icp, attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.name, a])) };
  for (const [key] of PARTS) out[key] = Object.fromEntries(s[key].map((r) => [r.id, r]));
  return out;
}

// Bookkeeping fields every change touches; a diff of content leaves them out.
const VOLATILE = /\/(revision|updatedAt|createdAt)$/;

export const contentDiff = (from: object, to: object): Operation[] =>
  compare(from, to).filter((op) => !VOLATILE.test(op.path));

export function diffSnapshots(from: IcpSnapshot, to: IcpSnapshot): Operation[] {
  return contentDiff(keyed(from), keyed(to));
}
