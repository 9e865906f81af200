import type { QueryFailedError } from 'typeorm';
import { type Rule, rulesOf } from '../../core/inputs';
import { withTransaction } from '../../db/transaction';
import { assertMayWrite } from '../../auth/policy';
import { catalogueOf } from '../../fit-score/expressions';
import { db, type RequestContext } from '../../core/context';
import { ValidationError } from '../../core/errors';
import { checkerFor } from '../../scoring-engine/cel';
import { canonicalJson } from '../../core/hash-chain';
import { type IcpSnapshot, snapshotIcp } from '../../versioning/snapshot';
import { icpVersionService } from '../../versioning/icp-version.service';
import { Icp } from '../icp/icp.entity';
import { icpService } from '../icp/icp.service';
import { ICP_PARTS, type IcpPart, partOf, partsUnder } from '../icp/icp-parts';
import { partService } from '../icp/part-services';
import { fileRecords, fileSections, fileShape, type IcpFile, isPositioned } from './icp-file';
import { checkIcpFileText } from './icp-file.checks';
import { canonicalFile, fileFromSnapshot, recordKey, type StoredIds, toYaml } from './icp-file.format';

/**
 * Export and import of ICP files. An import compares the file with the
 * draft, record by record (matched by name: tiers, personas, dimensions,
 * rules within their dimension…), and makes the difference through the
 * entities' own services, in one transaction: each change is a revision
 * with the importer and the reason, compare-and-swap checked. A dry run does
 * exactly the same and rolls it back.
 */
type Row = Record<string, any>;

export type ChangeAction = 'CREATE' | 'UPDATE' | 'DELETE';
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface RecordChange {
  entity: string;
  name: string;
  parent: string | null;
  path: string | null;
  action: ChangeAction;
  fields: FieldChange[];
}
export interface ImportResult {
  icp: Icp | null;
  slug: string;
  dryRun: boolean;
  created: boolean;
  changes: RecordChange[];
  yaml: string;
}

interface Rec {
  entity: string;
  name: string;
  parent?: string;
  path: string;
  fields: Row;
}

/** A canonical file as records; the place in a list is the record's `position` where the part has one. */
function flatten(file: Row): Rec[] {
  const sections = fileSections();
  const out: Rec[] = [
    {
      entity: 'Icp',
      name: file.slug,
      path: '',
      fields: Object.fromEntries(Object.entries(file).filter(([k]) => !sections.includes(k))),
    },
  ];
  for (const { part, row, path, index, parent } of fileRecords(file)) {
    const children = new Set(partsUnder(part.entity.name).map((c) => c.section));
    const fields = Object.fromEntries(Object.entries(row).filter(([k]) => !children.has(k)));
    out.push({
      entity: part.entity.name,
      name: row.name as string,
      ...(parent ? { parent: parent.row.name as string } : {}),
      path,
      fields: isPositioned(part) ? { ...fields, position: index } : fields,
    });
  }
  return out;
}

const keyOf = (r: Rec) => recordKey(r.entity, r.entity === 'Icp' ? '' : r.name, r.parent);
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** What the file changes in the draft: creations and updates in the file's order, then deletions. */
export function diffFiles(desired: Row, current: Row | null): RecordChange[] {
  const now = new Map((current ? flatten(current) : []).map((r) => [keyOf(r), r]));
  const changes: RecordChange[] = [];
  const change = (r: Rec, action: ChangeAction, fields: FieldChange[], path: string | null): RecordChange => ({
    entity: r.entity,
    name: r.name,
    parent: r.parent ?? null,
    path,
    action,
    fields,
  });
  for (const want of flatten(desired)) {
    const have = now.get(keyOf(want));
    now.delete(keyOf(want));
    if (!have) {
      changes.push(
        change(
          want,
          'CREATE',
          Object.entries(want.fields).map(([field, after]) => ({ field, before: null, after })),
          want.path,
        ),
      );
      continue;
    }
    const keys = [...new Set([...Object.keys(have.fields), ...Object.keys(want.fields)])];
    const fields = keys
      .filter((k) => !same(have.fields[k], want.fields[k]))
      .map((field) => ({ field, before: have.fields[field] ?? null, after: want.fields[field] ?? null }));
    if (fields.length) changes.push(change(want, 'UPDATE', fields, want.path));
  }
  for (const gone of now.values())
    changes.push(
      change(
        gone,
        'DELETE',
        Object.entries(gone.fields).map(([field, before]) => ({ field, before, after: null })),
        null,
      ),
    );
  return changes;
}

/** The value that clears a field a file no longer states. */
const cleared = (rule: Rule | undefined) =>
  rule?.kind === 'textList' || rule?.kind === 'items' ? [] : rule?.kind === 'json' ? {} : null;

/** Service errors name `input.x`; the file's reader needs `tiers[2].x`. */
async function atPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const rewrite = (p: string) =>
      p === 'input' ? path || '(document)' : p.replace(/^input\./, path ? `${path}.` : '');
    throw new ValidationError(e.problems.map((p) => ({ ...p, path: rewrite(p.path) })));
  }
}

/**
 * The order an import writes its changes in. The ICP first; then deletions
 * of records nothing points at; creations and updates part by part, parents
 * first; last the deletions of records others point at (dimensions, tiers),
 * children's parents last, once nothing refers to them.
 */
export function writeOrder(changes: RecordChange[]): RecordChange[] {
  const pointedAt = new Set(ICP_PARTS.flatMap((p) => [p.parent?.type, ...(p.links ?? []).map((l) => l.type)]));
  const deletes = changes.filter((c) => c.action === 'DELETE');
  const ofPart = (list: RecordChange[], part: IcpPart) => list.filter((c) => c.entity === part.entity.name);
  return [
    ...changes.filter((c) => c.entity === 'Icp'),
    ...deletes.filter((c) => c.entity !== 'Icp' && !pointedAt.has(c.entity)),
    ...ICP_PARTS.flatMap((part) => ofPart(changes, part).filter((c) => c.action !== 'DELETE')),
    ...[...ICP_PARTS]
      .reverse()
      .filter((part) => pointedAt.has(part.entity.name))
      .flatMap((part) => ofPart(deletes, part)),
  ];
}

async function applyChanges(
  tx: RequestContext,
  desired: Row,
  ids: StoredIds,
  changes: RecordChange[],
  reason: string | null,
): Promise<Icp> {
  // A generic verb: each type it writes asks the policy, as its own create/update/delete would.
  for (const entity of new Set(changes.map((c) => c.entity))) assertMayWrite(tx, 'import', entity);
  const opts = { reason };
  const byKey = new Map(flatten(desired).map((r) => [keyOf(r), r]));
  const idOf = (entity: string, name: string, parent?: string | null) =>
    ids.get(recordKey(entity, entity === 'Icp' ? '' : name, parent));
  const toInput = (c: RecordChange, want: Rec | undefined): Row => {
    const rules = rulesOf(fileShape(c.entity));
    const links = c.entity === 'Icp' ? [] : (partOf(c.entity).links ?? []);
    const input: Row = {};
    const fields = c.action === 'CREATE' ? Object.keys(want!.fields) : c.fields.map((f) => f.field);
    for (const field of fields) {
      const value = want?.fields[field] ?? (field === 'position' ? undefined : cleared(rules.get(field)));
      const link = links.find((l) => l.name === field);
      if (link) input[link.field] = value ? idOf(link.type, value)!.id : null;
      else input[field] = value;
    }
    return input;
  };
  const write = async (c: RecordChange, icpId: string) => {
    const part = c.entity === 'Icp' ? null : partOf(c.entity);
    const service = part ? partService(tx, part) : icpService;
    const want = byKey.get(recordKey(c.entity, c.entity === 'Icp' ? '' : c.name, c.parent));
    const stored = idOf(c.entity, c.name, c.parent);
    await atPath(c.path ?? '', async () => {
      if (c.action === 'DELETE') return service.delete(tx, stored!.id, stored!.revision, opts);
      const input = toInput(c, want);
      if (c.action === 'UPDATE') return service.update(tx, stored!.id, stored!.revision, input, opts);
      if (part?.parent) input[part.parent.field] = idOf(part.parent.type, c.parent!)!.id;
      else if (part) input.icpId = icpId;
      const created = await service.create(tx, input, opts);
      // The ICP's row is sent at once, within its own write: its slug is the one constraint checked immediately
      // (the parts' are deferred to the end of the unit), so a slug taken meanwhile is reported at the file's `slug`.
      if (!part) await tx.session?.sendHeld();
      ids.set(recordKey(c.entity, c.entity === 'Icp' ? '' : c.name, c.parent), {
        id: created.id,
        revision: created.revision,
      });
    });
  };
  const ordered = writeOrder(changes);
  if (ordered[0]?.entity === 'Icp') await write(ordered.shift()!, '');
  const icpId = idOf('Icp', '')!.id;
  // Swapped ranks or names would collide row by row; they are checked at commit of this unit instead.
  await db(tx).query('SET CONSTRAINTS ALL DEFERRED');
  for (const c of ordered) await write(c, icpId);
  try {
    await db(tx).query('SET CONSTRAINTS ALL IMMEDIATE');
  } catch (e) {
    const detail =
      (e as QueryFailedError & { driverError?: { detail?: string } }).driverError?.detail ?? (e as Error).message;
    throw ValidationError.one('(document)', `the file cannot be applied to the draft: ${detail}`);
  }
  return icpService.get(tx, icpId);
}

/** An import's result; its canonical text is written when first read (a client that does not ask for it never pays it). */
function importResult(icp: Icp | null, r: Omit<ImportResult, 'icp' | 'yaml'> & { desired: Row }): ImportResult {
  let yaml: string | undefined;
  const { desired, ...rest } = r;
  return {
    icp,
    ...rest,
    get yaml() {
      return (yaml ??= toYaml(desired));
    },
  };
}

/** Thrown to roll a dry run back, carrying its result out. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run: rolled back');
  }
}

async function snapshotOfVersion(ctx: RequestContext, idOrSlug: string, version?: number | null): Promise<IcpSnapshot> {
  if (version == null) return snapshotIcp(ctx, await icpService.byIdOrSlug(ctx, idOrSlug));
  return JSON.parse((await icpVersionService.get(ctx, idOrSlug, version)).snapshot) as IcpSnapshot;
}

export const icpFileService = {
  /** The ICP file (canonical YAML) of the draft, or of a published version. */
  async exportIcp(ctx: RequestContext, idOrSlug: string, version?: number | null): Promise<string> {
    return toYaml(fileFromSnapshot(await snapshotOfVersion(ctx, idOrSlug, version)).file);
  },

  /**
   * Makes the draft of the file's ICP (found by slug; created when there is
   * none) what the file says. Every problem of the file is reported at once,
   * with its path, line and column, and then nothing is written.
   */
  async importIcp(
    ctx: RequestContext,
    text: string,
    opts: { reason?: string | null; dryRun?: boolean | null } = {},
  ): Promise<ImportResult> {
    if (typeof text !== 'string' || text.length > 2_000_000)
      throw ValidationError.one('yaml', 'must be the text of an ICP file, at most 2 MB');
    const attributes = await catalogueOf(ctx);
    const { doc, problems, locate } = checkIcpFileText(text, { checker: await checkerFor(attributes), attributes });
    if (problems.length || !doc) throw new ValidationError(problems);
    try {
      return await this.applyFile(ctx, doc, {
        reason: opts.reason?.trim() || 'imported from an ICP file',
        dryRun: opts.dryRun,
      });
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(locate(e.problems));
      throw e;
    }
  },

  /** Applies a checked file (see importIcp) in one unit of work; the demo loader creates its ICPs with it too. */
  async applyFile(
    ctx: RequestContext,
    doc: IcpFile,
    opts: { reason?: string | null; dryRun?: boolean | null } = {},
  ): Promise<ImportResult> {
    const desired = canonicalFile(doc);
    try {
      return await withTransaction(
        ctx,
        async (tx) => {
          // Locks the ICP row, as publishing does: the draft cannot change under the comparison.
          const existing = await db(tx).findOne(Icp, {
            where: { slug: desired.slug, workspaceId: tx.workspaceId },
            lock: { mode: 'pessimistic_write' },
          });
          const current = existing
            ? fileFromSnapshot(await snapshotIcp(tx, existing))
            : { file: null, ids: new Map() as StoredIds };
          const changes = diffFiles(desired, current.file);
          const icp = changes.length
            ? await applyChanges(tx, desired, current.ids, changes, opts.reason ?? null)
            : existing;
          const result = importResult(opts.dryRun ? existing : icp, {
            slug: desired.slug,
            dryRun: !!opts.dryRun,
            created: !existing,
            changes,
            desired,
          });
          if (opts.dryRun) throw new DryRun(result);
          return result;
        },
        // Every error abandons the whole import: the services' writes take no savepoint each.
        { allOrNothing: true },
      );
    } catch (e) {
      if (e instanceof DryRun) return e.result;
      throw e;
    }
  },
};
