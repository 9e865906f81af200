import { catalogueOf } from '../fit-score/expressions';
import { compare, type Operation } from 'fast-json-patch';
import { db, type RequestContext } from '../core/context';
import type { Icp } from '../modules/icp/icp.entity';
import { ICP_PARTS, type IcpPart, type PartKey } from '../modules/icp/icp-parts';
import { rulesOf } from '../core/inputs';
import { snapshotOf } from '../core/revision-writer';
import { canonicalJson } from '../core/hash-chain';

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

// Bookkeeping fields every change touches; a diff of content leaves them out.
const VOLATILE = /\/(revision|updatedAt|createdAt)$/;

export const contentDiff = (from: object, to: object): Operation[] =>
  compare(from, to).filter((op) => !VOLATILE.test(op.path));

/**
 * An RFC 6902 JSON Patch that turns one snapshot, exactly as published
 * (`IcpVersion.snapshot`), into the other: paths index the snapshot's lists
 * ("/tiers/2/name"), so any JSON Patch library applies it. Nothing is
 * normalised or left out, or it would not apply; `changeList` is the view for
 * people.
 */
export function snapshotPatch(from: IcpSnapshot, to: IcpSnapshot): Operation[] {
  // As JSON (a fresh draft holds Dates), so the patch's values are what the snapshot's text holds.
  return compare(JSON.parse(JSON.stringify(from)) as object, JSON.parse(JSON.stringify(to)) as object);
}

/** One field of a record that differs between two snapshots (null: absent). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export type ChangeAction = 'ADDED' | 'CHANGED' | 'REMOVED';
/** One record that differs between two snapshots, named as people know it. */
export interface RecordChange {
  /** The record's type: "Icp", "Attribute" (the frozen catalogue), or a part's ("Tier", "Persona", …). */
  entityType: string;
  recordId: string;
  name: string;
  action: ChangeAction;
  fields: FieldChange[];
}

// Fields that say where a record sits or when it was written, not what it says.
const BOOKKEEPING = new Set(['id', 'workspaceId', 'icpId', 'revision', 'createdAt', 'updatedAt']);
// Key order differs between a stored snapshot (canonical JSON) and a fresh draft.
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const nameOf = (r: Row) => String(r.name ?? r.title ?? r.slug ?? r.id);

function recordChange(entityType: string, id: string, a: Row | undefined, b: Row | undefined): RecordChange | null {
  const fields = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])]
    .filter((f) => !BOOKKEEPING.has(f) && !same(a?.[f], b?.[f]))
    .map((field) => ({ field, before: a?.[field] ?? null, after: b?.[field] ?? null }));
  const action: ChangeAction = !a ? 'ADDED' : !b ? 'REMOVED' : 'CHANGED';
  if (action === 'CHANGED' && !fields.length) return null;
  return { entityType, recordId: id, name: nameOf((b ?? a)!), action, fields };
}

/**
 * What changed from one snapshot to another, record by record (the ICP, the
 * catalogue it froze, then each part in the registry's order): added, changed
 * (with each field's old and new value) or removed. `from` null: never
 * published, so everything is added. Empty when nothing a version holds differs.
 */
export function changeList(from: IcpSnapshot | null, to: IcpSnapshot): RecordChange[] {
  const out: RecordChange[] = [];
  const compareRows = (type: string, a: Row[], b: Row[], key: (r: Row) => string) => {
    const before = new Map(a.map((r) => [key(r), r]));
    const after = new Map(b.map((r) => [key(r), r]));
    for (const [id, r] of after) {
      const c = recordChange(type, id, before.get(id), r);
      if (c) out.push(c);
    }
    for (const [id, r] of before) if (!after.has(id)) out.push(recordChange(type, id, r, undefined)!);
  };
  compareRows('Icp', from ? [icpRow(from)] : [], [icpRow(to)], (r) => String(r.id));
  compareRows('Attribute', from?.attributes ?? [], to.attributes ?? [], (r) => String(r.name));
  for (const part of ICP_PARTS)
    compareRows(part.entity.name, from ? partRows(from, part) : [], partRows(to, part), (r) => String(r.id));
  return out;
}
