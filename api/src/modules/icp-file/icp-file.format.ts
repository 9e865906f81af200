import YAML from 'yaml';
import { type Rule, rulesOf } from '../../core/inputs';
import { icpRow, type IcpSnapshot, partRows } from '../../versioning/snapshot';
import { ICP_PARTS, type IcpPart, partsUnder } from '../icp/icp-parts';
import { fileSections, fileShape, type IcpFile, setAt, valueAt } from './icp-file';

/**
 * The canonical form of an ICP file: what `exportIcp` writes and what an
 * import is compared with. Keys in the order the inputs declare them, lists
 * in their stored order (tiers by rank, bands by score, the rest by
 * position), nothing empty, no ids, revisions or timestamps; the defaults the
 * services derive (status DRAFT, kind TIER…) written out, so a file that omits
 * them means the same as one that states them.
 */
type Row = Record<string, any>;

// The defaults the services' beforeWrite hooks set, by type; keep in step with them.
const DEFAULTS: Record<string, Row> = {
  Icp: { status: 'DRAFT' },
  Tier: { kind: 'TIER' },
  Persona: { buyingRoles: ['OTHER'] },
  UseCasePattern: { kind: 'INDUSTRY' },
};
// What the services derive from a record's own fields; keep in step with them.
const DERIVED: Record<string, (r: Row) => Row> = {
  ScoringRule: (r) => ({ ...r, condition: (r.condition as string | undefined)?.trim() || 'true' }),
};
/** A record as the service would store it: its type's defaults under it, its derived fields. */
const stored = (type: string, r: Row | undefined): Row =>
  (DERIVED[type] ?? ((x) => x))({ ...DEFAULTS[type], ...stripNull(r) });

/** The names parts give to the records they link to (a persona's `tier`): written right after the record's name. */
const LINK_NAMES = new Set(ICP_PARTS.flatMap((p) => (p.links ?? []).map((l) => l.name)));

function fieldOrder(shape: Function): [string, Rule][] {
  const entries = [...rulesOf(shape)];
  // A persona names its tier right after its own name.
  const links = entries.filter(([k]) => LINK_NAMES.has(k));
  if (!links.length) return entries;
  const rest = entries.filter(([k]) => !LINK_NAMES.has(k));
  rest.splice(rest.findIndex(([k]) => k === 'name') + 1, 0, ...links);
  return rest;
}

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** Plain JSON with object keys sorted, so free-form values (example attributes) have one form. */
function sortedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedJson((v as Row)[k])]),
    );
  return v;
}

/** One record in canonical form: known fields only, in order, empty ones left out. */
export function cleanRecord(shape: Function, row: Row, skip: string[] = []): Row {
  const out: Row = {};
  for (const [key, rule] of fieldOrder(shape)) {
    if (skip.includes(key)) continue;
    let v = row[key];
    if (isEmpty(v)) continue;
    if (rule.kind === 'items' && Array.isArray(v))
      v = v.map((item) => (item && typeof item === 'object' ? cleanRecord(rule.of(), item) : item));
    else if (rule.kind === 'item' && typeof v === 'object') v = cleanRecord(rule.of(), v);
    else if (rule.kind === 'json') v = sortedJson(v);
    out[key] = v;
  }
  return out;
}

const list = (v: unknown): Row[] => (Array.isArray(v) ? v : []);

/** The canonical form of an (already checked) ICP file. */
export function canonicalFile(doc: IcpFile): Row {
  const out: Row = cleanRecord(fileShape('Icp'), stored('Icp', doc));
  for (const part of partsUnder()) {
    const rows = canonicalRows(doc, part);
    if (rows.length) setAt(out, part.section, rows);
  }
  return out;
}

/** A part's records in canonical form, each with its children's. */
function canonicalRows(holder: Row, part: IcpPart): Row[] {
  const type = part.entity.name;
  const children = partsUnder(type);
  return list(valueAt(holder, part.section)).map((r) => {
    const record = cleanRecord(
      fileShape(type),
      stored(type, r),
      children.map((c) => c.section),
    );
    for (const child of children) {
      const rows = canonicalRows(r, child);
      if (rows.length) record[child.section] = rows;
    }
    return record;
  });
}

const stripNull = (r: Row | undefined) =>
  Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== null && v !== undefined));

/** Where each record of a stored ICP is, by its key in the file (see recordKey). */
export type StoredIds = Map<string, { id: string; revision: number }>;

export const recordKey = (entity: string, name: string, parent?: string | null) =>
  `${entity}\u0000${parent ?? ''}\u0000${name}`;

/** A stored ICP (a draft or a published snapshot) as a file, and the ids of its records. */
export function fileFromSnapshot(s: IcpSnapshot): { file: Row; ids: StoredIds } {
  const ids: StoredIds = new Map();
  ids.set(recordKey('Icp', ''), { id: String(s.icp.id), revision: Number(s.icp.revision) });
  const nameOf = new Map(ICP_PARTS.flatMap((p) => partRows(s, p).map((r) => [r.id, r.name])));
  const records = (part: IcpPart, parent?: Row): Row[] =>
    partRows(s, part)
      .filter((r) => !part.parent || r[part.parent.field] === parent?.id)
      .map((r) => {
        const type = part.entity.name;
        ids.set(recordKey(type, String(r.name), parent ? String(parent.name) : undefined), {
          id: String(r.id),
          revision: Number(r.revision),
        });
        const record: Row = { ...r };
        for (const link of part.links ?? []) record[link.name] = r[link.field] ? nameOf.get(r[link.field]) : null;
        for (const child of partsUnder(type)) record[child.section] = records(child, r);
        return record;
      });
  const raw: Row = { ...icpRow(s) };
  for (const part of partsUnder()) setAt(raw, part.section, records(part));
  return { file: canonicalFile(raw), ids };
}

/** The canonical YAML text: a blank line before each section, no anchors, stable folding. */
export function toYaml(file: Row): string {
  const doc = new YAML.Document(file, { aliasDuplicateObjects: false });
  const sections = fileSections();
  for (const pair of (doc.contents as YAML.YAMLMap).items) {
    const key = pair.key as YAML.Scalar;
    if (sections.includes(String(key.value))) key.spaceBefore = true;
  }
  return doc.toString({ lineWidth: 100, minContentWidth: 40 });
}
