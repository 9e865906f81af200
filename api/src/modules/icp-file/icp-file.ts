import { checkInput, deriveShape, type Rule, rulesOf } from '../../core/inputs';
import { type FieldProblem, ValidationError } from '../../core/errors';
import { AttributeDefinitionInput } from '../attribute/attribute.inputs';
import { IcpInput } from '../icp/icp.inputs';
import { type IcpPart, partOf, partsUnder } from '../icp/icp-parts';
import { WorkspaceInput } from '../workspace/workspace.inputs';

/**
 * The ICP file: a whole ICP as one YAML document. The ICP's own fields, then
 * a list per part at the part's section (modules/icp/icp-parts.ts); a part
 * with a parent lists its records inside the parent's record (a dimension's
 * `rules`). Each record holds the fields of that part's GraphQL input,
 * without the ids the nesting gives; it names the records it points at by
 * name (a persona's `tier`). The demo data is written in this format.
 */
type Plain = Record<string, unknown>;

/** A file as code reads it; which sections exist is the registry's, not this type's. */
export interface IcpFile extends Plain {
  tiers?: Plain[];
  personas?: (Plain & { tier?: string | null })[];
  exampleAccounts?: Plain[];
  scoring?: { dimensions?: (Plain & { rules?: Plain[] })[]; bands?: Plain[] };
}

export interface WorkspaceFile extends Plain {
  attributes?: Plain[];
}

/** The file's top-level keys that hold parts (`scoring` holds dimensions and bands), in the file's order. */
export const fileSections = (): string[] => [...new Set(partsUnder().map((p) => p.section.split('.')[0]))];

/** Keys that group sections (`scoring`), each with the sections inside it. */
function sectionGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [group, ...rest] of partsUnder().map((p) => p.section.split('.')))
    if (rest.length) groups.set(group, [...(groups.get(group) ?? []), rest.join('.')]);
  return groups;
}

const isMapping = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value at a dotted path of a mapping, or undefined. */
export const valueAt = (holder: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (isMapping(o) ? o[k] : undefined), holder);

/** Sets the value at a dotted path, making the mappings on the way. */
export function setAt(holder: Plain, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let o = holder;
  for (const k of keys) o = isMapping(o[k]) ? o[k] : (o[k] = {});
  o[last] = value;
}

/** One record of a file and where it is. */
export interface FileRecord {
  part: IcpPart;
  row: Plain;
  /** Its path in the file: `scoring.dimensions[1].rules[0]`. */
  path: string;
  index: number;
  parent?: FileRecord;
}

/**
 * Every record of a file in the file's order, a child's records right after
 * their parent's. A section that is not a list is reported to `notAList`.
 */
export function fileRecords(doc: unknown, notAList?: (path: string) => void): FileRecord[] {
  const out: FileRecord[] = [];
  const walk = (parts: IcpPart[], holder: unknown, base: string, parent?: FileRecord) => {
    for (const part of parts) {
      const rows = valueAt(holder, part.section);
      if (rows === undefined || rows === null) continue;
      if (!Array.isArray(rows)) {
        notAList?.(`${base}${part.section}`);
        continue;
      }
      rows.forEach((row, index) => {
        const record: FileRecord = { part, row: row as Plain, index, path: `${base}${part.section}[${index}]`, parent };
        out.push(record);
        walk(partsUnder(part.entity.name), row, `${record.path}.`, record);
      });
    }
  };
  walk(partsUnder(), doc, '');
  return out;
}

const TEXT: Rule = { kind: 'text', max: 200 };

/**
 * A part's record in the file: its input without the ids the file gives by
 * nesting (`icpId`, the parent's) or by name (links), nor `position` (the
 * place in the list); its links by name, its children's lists.
 */
function partShape(part: IcpPart): Function {
  const links = part.links ?? [];
  const drop = ['icpId', 'position', ...(part.parent ? [part.parent.field] : []), ...links.map((l) => l.field)];
  const add: Record<string, Rule> = Object.fromEntries([
    ...links.map((l) => [l.name, TEXT]),
    ...partsUnder(part.entity.name).map((c) => [c.section, { kind: 'json' }]),
  ]);
  return deriveShape(part.input, drop, add);
}

const SHAPES = new Map<string, Function>();
/** The shape of a record of this type in an ICP file ("Icp": the document's own fields). */
export function fileShape(type: string): Function {
  if (!SHAPES.has(type)) SHAPES.set(type, type === 'Icp' ? IcpInput : partShape(partOf(type)));
  return SHAPES.get(type)!;
}

/** Does the place of a record in its list say its position? (Tiers are ordered by rank, bands by score.) */
export const isPositioned = (part: IcpPart): boolean => rulesOf(part.input).has('position');

export const WorkspaceShapes = { workspace: WorkspaceInput, attribute: AttributeDefinitionInput };

const check = (shape: Function, value: unknown, path: string) => checkInput(shape, value, 'create', path);

function listOf(value: unknown, path: string, problems: FieldProblem[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list' });
    return [];
  }
  return value;
}

/** A type as a sentence names it: "ScoringDimension" → "scoring dimension". */
const spoken = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const listed = (keys: string[]) => (keys.length > 1 ? `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}` : keys[0]);

/** Every problem in an ICP file, each with its path in the file. */
export function checkIcpFile(doc: unknown, file = ''): FieldProblem[] {
  const at = (p: string) => (file ? `${file}: ${p}` : p);
  if (!isMapping(doc)) return [{ path: at('(document)'), message: 'must be a mapping of ICP fields' }];
  const d = doc as IcpFile;
  const problems: FieldProblem[] = [];
  const sections = fileSections();
  const icpFields = Object.fromEntries(Object.entries(d).filter(([k]) => !sections.includes(k)));
  problems.push(
    ...check(fileShape('Icp'), icpFields, at('')).map((p) => ({ ...p, path: p.path.replace(/^(.*: )?\./, '$1') })),
  );
  for (const [group, keys] of sectionGroups()) {
    const value = d[group];
    if (value === undefined || value === null) continue;
    if (!isMapping(value)) problems.push({ path: at(group), message: `must be a mapping with ${listed(keys)}` });
    else
      for (const key of Object.keys(value))
        if (!keys.includes(key))
          problems.push({ path: at(`${group}.${key}`), message: `unknown field; allowed: ${keys.join(', ')}` });
  }
  const records = fileRecords(d, (path) => problems.push({ path: at(path), message: 'must be a list' }));
  const named = new Map<string, Set<unknown>>();
  const names = (type: string) => {
    if (!named.has(type))
      named.set(type, new Set(records.filter((r) => r.part.entity.name === type).map((r) => r.row?.name)));
    return named.get(type)!;
  };
  for (const r of records) {
    problems.push(...check(fileShape(r.part.entity.name), r.row, at(r.path)));
    for (const link of r.part.links ?? []) {
      const name = isMapping(r.row) ? r.row[link.name] : undefined;
      if (typeof name === 'string' && !names(link.type).has(name))
        problems.push({
          path: at(`${r.path}.${link.name}`),
          message: `no ${spoken(link.type)} named "${name}" in this file`,
        });
    }
  }
  problems.push(...exampleProblems(d, names('Tier'), names('ActionBand'), at));
  problems.push(...duplicates(records, at));
  return problems;
}

/** An example account names the tier and band it must get ("none": no tier, no band). */
function exampleProblems(
  d: IcpFile,
  tierNames: Set<unknown>,
  bandNames: Set<unknown>,
  at: (p: string) => string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  listOf(d.exampleAccounts, at('exampleAccounts'), []).forEach((p, i) => {
    const { expectedTier, expectedBand } = (p ?? {}) as Plain;
    if (typeof expectedTier === 'string' && expectedTier !== 'none' && !tierNames.has(expectedTier))
      problems.push({
        path: at(`exampleAccounts[${i}].expectedTier`),
        message: `no tier named "${expectedTier}" in this file`,
      });
    if (typeof expectedBand === 'string' && expectedBand !== 'none' && !bandNames.has(expectedBand))
      problems.push({
        path: at(`exampleAccounts[${i}].expectedBand`),
        message: `no band named "${expectedBand}" in this file`,
      });
  });
  return problems;
}

// Besides names: fields unique within their list, as the database's constraints hold them.
const UNIQUE: Record<string, string[]> = { Tier: ['rank'], ActionBand: ['minScore'] };

/** Names are unique within a list (a rule's: within its dimension), as are tier ranks and band scores. */
function duplicates(records: FileRecord[], at: (p: string) => string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const lists = new Map<string, FileRecord[]>();
  for (const r of records) {
    const list = r.path.slice(0, r.path.lastIndexOf('['));
    lists.set(list, [...(lists.get(list) ?? []), r]);
  }
  for (const [list, rows] of lists)
    for (const field of ['name', ...(UNIQUE[rows[0].part.entity.name] ?? [])]) {
      const seen = new Map<unknown, number>();
      for (const { row, index } of rows) {
        const v = isMapping(row) ? row[field] : undefined;
        if (v === undefined || v === null) continue;
        if (seen.has(v))
          problems.push({
            path: at(`${list}[${index}].${field}`),
            message: `${JSON.stringify(v)} is already used by ${list}[${seen.get(v)}]`,
          });
        else seen.set(v, index);
      }
    }
  return problems;
}

export function assertIcpFile(doc: unknown, file = ''): asserts doc is IcpFile {
  const problems = checkIcpFile(doc, file);
  if (problems.length) throw new ValidationError(problems);
}

export function checkWorkspaceFile(doc: unknown, file = ''): FieldProblem[] {
  const at = (p: string) => (file ? `${file}: ${p}` : p);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return [{ path: at('(document)'), message: 'must be a mapping' }];
  const { attributes, ...ws } = doc as WorkspaceFile;
  const problems = checkInput(WorkspaceShapes.workspace, ws, 'create', at('')).map((p) => ({
    ...p,
    path: p.path.replace(/^(.*: )?\./, '$1'),
  }));
  listOf(attributes, at('attributes'), problems).forEach((a, i) =>
    problems.push(...checkInput(WorkspaceShapes.attribute, a, 'create', at(`attributes[${i}]`))),
  );
  return problems;
}
