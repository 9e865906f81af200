import YAML from 'yaml';
import { type Rule, rulesOf } from '../../core/inputs';
import type { IcpSnapshot } from '../../versioning/snapshot';
import { FileShapes, type IcpFile } from './icp-file';

/**
 * The canonical form of an ICP file: what `exportIcp` writes and what an
 * import is compared with. Keys in the order the inputs declare them, lists
 * in their stored order (tiers by rank, bands by score, the rest by
 * position), nothing empty, no ids, revisions or timestamps; the defaults the
 * services derive (status DRAFT, kind TIER…) written out, so a file that omits
 * them means the same as one that states them.
 */
type Row = Record<string, any>;

export const SECTIONS = [
  'tiers',
  'personas',
  'useCasePatterns',
  'disqualifiers',
  'triggerEvents',
  'scoring',
  'exampleAccounts',
] as const;

// The defaults the services' beforeWrite hooks set; keep in step with them.
const DEFAULTS = {
  icp: { status: 'DRAFT' },
  tier: { kind: 'TIER' },
  persona: { buyingRole: 'OTHER' },
  useCasePattern: { kind: 'INDUSTRY' },
} as const;

function fieldOrder(shape: Function): [string, Rule][] {
  const entries = [...rulesOf(shape)];
  // A persona names its tier right after its own name.
  const tier = entries.findIndex(([k]) => k === 'tier');
  if (tier >= 0) entries.splice(entries.findIndex(([k]) => k === 'name') + 1, 0, ...entries.splice(tier, 1));
  return entries;
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
    else if (rule.kind === 'json') v = sortedJson(v);
    out[key] = v;
  }
  return out;
}

const list = (v: unknown): Row[] => (Array.isArray(v) ? v : []);

/** The canonical form of an (already checked) ICP file. */
export function canonicalFile(doc: IcpFile): Row {
  const out: Row = cleanRecord(FileShapes.icp, { ...DEFAULTS.icp, ...stripNull(doc) });
  const section = (key: string, rows: Row[]) => {
    if (rows.length) out[key] = rows;
  };
  section(
    'tiers',
    list(doc.tiers).map((t) => cleanRecord(FileShapes.tier, { ...DEFAULTS.tier, ...stripNull(t) })),
  );
  section(
    'personas',
    list(doc.personas).map((p) => cleanRecord(FileShapes.persona, { ...DEFAULTS.persona, ...stripNull(p) })),
  );
  section(
    'useCasePatterns',
    list(doc.useCasePatterns).map((p) =>
      cleanRecord(FileShapes.useCasePattern, { ...DEFAULTS.useCasePattern, ...stripNull(p) }),
    ),
  );
  section(
    'disqualifiers',
    list(doc.disqualifiers).map((d) => cleanRecord(FileShapes.disqualifier, d)),
  );
  section(
    'triggerEvents',
    list(doc.triggerEvents).map((t) => cleanRecord(FileShapes.triggerEvent, t)),
  );
  const dimensions = list(doc.scoring?.dimensions).map((d) => {
    const dim = cleanRecord(FileShapes.dimension, d, ['rules']);
    const rules = list(d.rules).map((r) =>
      cleanRecord(FileShapes.rule, { ...r, condition: (r.condition as string | undefined)?.trim() || 'true' }),
    );
    return rules.length ? { ...dim, rules } : dim;
  });
  const bands = list(doc.scoring?.bands).map((b) => cleanRecord(FileShapes.band, b));
  if (dimensions.length || bands.length)
    out.scoring = { ...(dimensions.length ? { dimensions } : {}), ...(bands.length ? { bands } : {}) };
  section(
    'exampleAccounts',
    list(doc.exampleAccounts).map((e) => cleanRecord(FileShapes.exampleAccount, e)),
  );
  return out;
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
  const keep = (entity: string, r: Row, parent?: string) =>
    ids.set(recordKey(entity, String(r.name), parent), { id: String(r.id), revision: Number(r.revision) });
  ids.set(recordKey('Icp', ''), { id: String(s.icp.id), revision: Number(s.icp.revision) });
  const tierName = new Map(s.tiers.map((t) => [t.id, t.name]));
  s.tiers.forEach((r) => keep('Tier', r));
  s.personas.forEach((r) => keep('Persona', r));
  s.useCasePatterns.forEach((r) => keep('UseCasePattern', r));
  s.disqualifiers.forEach((r) => keep('Disqualifier', r));
  s.triggerEvents.forEach((r) => keep('TriggerEvent', r));
  s.actionBands.forEach((r) => keep('ActionBand', r));
  s.exampleAccounts.forEach((r) => keep('ExampleAccount', r));
  const dimensions = s.scoringDimensions.map((d) => {
    keep('ScoringDimension', d);
    const rules = s.scoringRules.filter((r) => r.dimensionId === d.id);
    rules.forEach((r) => keep('ScoringRule', r, String(d.name)));
    return { ...d, rules };
  });
  const raw: IcpFile = {
    ...s.icp,
    tiers: s.tiers,
    personas: s.personas.map((p) => ({ ...p, tier: p.tierId ? (tierName.get(p.tierId) as string) : null })),
    useCasePatterns: s.useCasePatterns,
    disqualifiers: s.disqualifiers,
    triggerEvents: s.triggerEvents,
    scoring: { dimensions, bands: s.actionBands },
    exampleAccounts: s.exampleAccounts,
  };
  return { file: canonicalFile(raw), ids };
}

/** The canonical YAML text: a blank line before each section, no anchors, stable folding. */
export function toYaml(file: Row): string {
  const doc = new YAML.Document(file, { aliasDuplicateObjects: false });
  for (const pair of (doc.contents as YAML.YAMLMap).items) {
    const key = pair.key as YAML.Scalar;
    if ((SECTIONS as readonly string[]).includes(String(key.value))) key.spaceBefore = true;
  }
  return doc.toString({ lineWidth: 100, minContentWidth: 40 });
}
