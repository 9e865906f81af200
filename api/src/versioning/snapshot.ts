import { catalogueOf } from '../fit-score/expressions';
import { compare, type Operation } from 'fast-json-patch';
import { db, type RequestContext } from '../core/context';
import type { Icp } from '../modules/icp/icp.entity';
import { ICP_PARTS, type IcpPart, type PartKey } from '../modules/icp/icp-parts';
import { snapshotOf } from '../core/revision-writer';

type Row = Record<string, unknown>;
/** The whole ICP, plus the attribute catalogue its expressions were checked against; one list per part (icp-parts.ts). */
export type IcpSnapshot = { icp: Row; attributes: Row[] } & Record<PartKey, Row[]>;

/** A part's rows in a snapshot; none in a version published before the part existed. */
export const partRows = (s: IcpSnapshot, part: IcpPart): Row[] => s[part.key as PartKey] ?? [];

const byOrder = (a: Row, b: Row) =>
  Number(a.rank ?? a.position ?? 0) - Number(b.rank ?? b.position ?? 0) ||
  Number(b.minScore ?? 0) - Number(a.minScore ?? 0) ||
  String(a.id).localeCompare(String(b.id));

/** The whole draft of an ICP as plain data, in a stable order. */
export async function snapshotIcp(ctx: RequestContext, icp: Icp): Promise<IcpSnapshot> {
  const snapshot = { icp: snapshotOf(icp)! } as IcpSnapshot;
  // The catalogue is frozen with the version, so its scores stay reproducible when the catalogue changes.
  snapshot.attributes = (await catalogueOf(ctx)) as unknown as IcpSnapshot['attributes'];
  for (const { key, entity } of ICP_PARTS) {
    const rows = await db(ctx).find(entity, { where: { icpId: icp.id, workspaceId: ctx.workspaceId } as never });
    snapshot[key as PartKey] = rows.map((r) => snapshotOf(r)!).sort(byOrder);
  }
  return snapshot;
}

/** Records keyed by id, so a diff says "/tiers/<id>/name", not "/tiers/2/name". */
function keyed(s: IcpSnapshot): Row {
  const out: Row = { icp: s.icp, attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.name, a])) };
  for (const part of ICP_PARTS) out[part.key] = Object.fromEntries(partRows(s, part).map((r) => [r.id, r]));
  return out;
}

// Bookkeeping fields every change touches; a diff of content leaves them out.
const VOLATILE = /\/(revision|updatedAt|createdAt)$/;

export const contentDiff = (from: object, to: object): Operation[] =>
  compare(from, to).filter((op) => !VOLATILE.test(op.path));

export function diffSnapshots(from: IcpSnapshot, to: IcpSnapshot): Operation[] {
  return contentDiff(keyed(from), keyed(to));
}
