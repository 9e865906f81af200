import { catalogueOf } from '../fit-score/expressions';
import { compare, type Operation } from 'fast-json-patch';
import { db, type RequestContext } from '../core/context';
import type { Icp } from '../modules/icp/icp.entity';
import { ICP_PARTS, type IcpPart, type PartKey } from '../modules/icp/icp-parts';
import { rulesOf } from '../core/inputs';
import { snapshotOf } from '../core/revision-writer';

type Row = Record<string, unknown>;
/** The whole ICP, plus the attribute catalogue its expressions were checked against; one list per part (icp-parts.ts). */
export type IcpSnapshot = { icp: Row; attributes: Row[] } & Record<PartKey, Row[]>;

/**
 * A record written under an older schema (a version's snapshot, a revision's state), read as today's: fields
 * added since then are empty (null, or [] for lists), and a persona's single `buyingRole` is its `buyingRoles`.
 * Without it an old version exports, reverts and diffs as if every record had changed or lost its role.
 */
export function currentShape(type: string, row: Row): Row {
  const part = ICP_PARTS.find((p) => p.entity.name === type);
  const added = ADDED[type] ?? (part ? ADDED_TO_PARTS : {});
  // Only the fields the type has today (its input declares them).
  const has = type === 'Icp' ? () => true : (field: string) => !!part && rulesOf(part.input).has(field);
  let out = row;
  for (const [field, empty] of Object.entries(added))
    if (!(field in out) && has(field)) out = { ...out, [field]: empty };
  if (type === 'Persona' && !('buyingRoles' in row)) {
    const { buyingRole, ...rest } = out;
    out = { ...rest, buyingRoles: buyingRole ? [buyingRole] : ['OTHER'] };
  }
  return out;
}
const ADDED_TO_PARTS: Row = { provenance: null };
const ADDED: Record<string, Row> = {
  Icp: { provenance: null, competitors: [] },
  Persona: { provenance: null, appliesWhen: null },
};

/** A part's rows in a snapshot, in today's shape; none in a version published before the part existed. */
export const partRows = (s: IcpSnapshot, part: IcpPart): Row[] =>
  (s[part.key as PartKey] ?? []).map((r) => currentShape(part.entity.name, r));

/** The ICP's own record in a snapshot, in today's shape. */
export const icpRow = (s: IcpSnapshot): Row => currentShape('Icp', s.icp);

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
  const out: Row = { icp: icpRow(s), attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.name, a])) };
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
