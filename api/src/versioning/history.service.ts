import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { db, type RequestContext, type ServiceRegistry } from '../core/context';
import { NotFoundError, ValidationError } from '../core/errors';
import { isUuid } from '../core/inputs';
import { toCsv } from '../csv/csv';
import { assertMayWrite } from '../auth/policy';
import { partTypes } from '../modules/icp/icp-parts';
import { type ChainedRow, chainStart, verifyChain } from '../core/hash-chain';
import { type SignedRow, signatureProblem } from '../core/history-keys';
import { currentShape } from './snapshot';
import { Revision, type RevisionAction } from '../core/revision.entity';

export interface HistoryFilter {
  entityType?: string | null;
  entityId?: string | null;
  icpId?: string | null;
  actorId?: string | null;
  /** Case-insensitive part of the actor's label (a user's email, a key's name). */
  actor?: string | null;
  actions?: RevisionAction[] | null;
  from?: Date | null;
  to?: Date | null;
}

export interface Verification {
  valid: boolean;
  checked: number;
  /** The first revision whose hash, link or signature does not hold. */
  brokenAt: Revision | null;
  problem: string | null;
  /** Revisions accepted unsigned: written before signing began (migration SignedHistory). */
  unsigned: number;
}

/** A reverted record: what it is, and the record itself through its own GraphQL type. */
export interface RevertedRecord {
  entityType: string;
  id: string;
  revision: number;
  record: { id: string; revision: number };
}

export const MAX_HISTORY_PAGE = 1000;
export const MAX_EXPORT_ROWS = 100_000;
const VERIFY_BATCH = 2000;
/**
 * What an export holds of each revision, in order. Its number is `chainIndex`,
 * the one the console and verifyHistory give (the table's global `seq` is left
 * out: two numbers for one entry disagreed).
 */
const EXPORT_COLUMNS = [
  'chainIndex',
  'workspaceId',
  'at',
  'actorLabel',
  'actorId',
  'action',
  'entityType',
  'entityId',
  'icpId',
  'revision',
  'reason',
  'patch',
  'before',
  'after',
  'prevHash',
  'hash',
  'keyId',
  'signature',
] as const;

/**
 * The entity types a workspace's history holds, as a filter offers them: an
 * ICP, its published versions and its parts (in the registry's order), then
 * every other type a service writes. (Sign-ins are chained outside workspaces.)
 */
export function historyEntityTypes(registry: ServiceRegistry): string[] {
  const first = ['Icp', 'IcpVersion', ...partTypes()];
  const rest = registry.services().map((s) => s.entity.name);
  return [...first, ...rest.filter((t) => !first.includes(t)).sort()];
}

function filtered(ctx: RequestContext, f: HistoryFilter = {}): SelectQueryBuilder<Revision> {
  const qb = db(ctx).createQueryBuilder(Revision, 'r').where('r.workspaceId = :ws', { ws: ctx.workspaceId });
  if (f.entityType) {
    const known = historyEntityTypes(ctx.registry);
    if (!known.includes(f.entityType))
      throw ValidationError.one(
        'filter.entityType',
        `unknown entity type "${f.entityType}"; the history holds ${known.join(', ')}`,
      );
    qb.andWhere('r.entityType = :type', { type: f.entityType });
  }
  for (const key of ['entityId', 'icpId', 'actorId'] as const) {
    const v = f[key];
    if (v) qb.andWhere(isUuid(v) ? `r.${key} = :${key}` : 'false', { [key]: v });
  }
  if (f.actor) qb.andWhere('r.actorLabel ILIKE :actor', { actor: `%${f.actor.replace(/[\\%_]/g, '\\$&')}%` });
  if (f.actions?.length) qb.andWhere('r.action IN (:...actions)', { actions: f.actions });
  if (f.from) qb.andWhere('r.at >= :from', { from: f.from });
  if (f.to) qb.andWhere('r.at <= :to', { to: f.to });
  return qb;
}

export const historyService = {
  /** Newest first. */
  async list(ctx: RequestContext, filter: HistoryFilter = {}, offset = 0, limit = 50): Promise<Revision[]> {
    if (limit < 1 || limit > MAX_HISTORY_PAGE)
      throw ValidationError.one('page.limit', `must be between 1 and ${MAX_HISTORY_PAGE} (got ${limit})`);
    if (offset < 0) throw ValidationError.one('page.offset', 'must be 0 or more');
    return filtered(ctx, filter).orderBy('r.chainIndex', 'DESC').offset(offset).limit(limit).getMany();
  },

  count(ctx: RequestContext, filter: HistoryFilter = {}): Promise<number> {
    return filtered(ctx, filter).getCount();
  },

  /** The revision of a record in force at a revision number or at a time (its state then is `after`). */
  async asOf(
    ctx: RequestContext,
    entityId: string,
    at: { revision?: number | null; time?: Date | null },
  ): Promise<Revision> {
    if ((at.revision == null) === (at.time == null))
      throw ValidationError.one('revision', 'give either revision or at, not both or neither');
    const qb = filtered(ctx, { entityId });
    if (at.revision != null) qb.andWhere('r.revision = :rev', { rev: at.revision });
    else qb.andWhere(new Brackets((w) => w.where('r.at <= :t', { t: at.time }))).orderBy('r.chainIndex', 'DESC');
    const found = await qb.limit(1).getOne();
    if (!found)
      throw new NotFoundError(
        `revision of record ${entityId}`,
        String(at.revision ?? at.time?.toISOString()),
        at.revision != null ? 'revision' : 'at',
      );
    return found;
  },

  /**
   * Reverts one record to the state it had at revision `toRevision` (restores
   * it if it was deleted); a new revision. Allowed exactly when updating the
   * record's type is (auth/policy.ts).
   */
  async revert(
    ctx: RequestContext,
    entityId: string,
    toRevision: number,
    expectedRevision: number,
    reason?: string | null,
  ): Promise<RevertedRecord> {
    const target = await this.asOf(ctx, entityId, { revision: toRevision });
    assertMayWrite(ctx, 'revert', target.entityType);
    const service = ctx.registry.find(target.entityType);
    if (!service) throw ValidationError.one('entityId', `${target.entityType} records cannot be reverted`);
    if (!target.after)
      throw ValidationError.one(
        'toRevision',
        `revision ${toRevision} is the deletion of this record; delete it instead`,
      );
    const record = await service.revertTo(
      ctx,
      currentShape(target.entityType, target.after as Record<string, unknown>),
      expectedRevision,
      reason?.trim() || `reverted to revision ${toRevision}`,
    );
    return { entityType: target.entityType, id: record.id, revision: record.revision, record };
  },

  /**
   * Walks the workspace's chain from the first revision, recomputing every
   * hash and link and checking every signature against the public keys;
   * reports the first revision where it breaks. Only the revisions written
   * before signing began may be unsigned.
   */
  async verify(ctx: RequestContext): Promise<Verification> {
    const cursor = chainStart();
    const [prefix] = await db(ctx).query(
      'SELECT last_chain_index AS "last" FROM history_unsigned_prefix WHERE workspace_id = $1',
      [ctx.workspaceId],
    );
    const lastUnsigned: number = prefix?.last ?? 0;
    let unsigned = 0;
    const signed = (row: SignedRow & ChainedRow) => {
      if (row.chainIndex > lastUnsigned || row.keyId) return signatureProblem(ctx.historyKeys, row);
      unsigned++;
      return null;
    };
    for (;;) {
      const rows: (Revision & ChainedRow & SignedRow)[] = await db(ctx).query(
        `SELECT seq, workspace_id AS "workspaceId", chain_index AS "chainIndex", entity_type AS "entityType", entity_id AS "entityId",
                icp_id AS "icpId", revision, action, actor_id AS "actorId", actor_label AS "actorLabel", at, reason, before, after, patch,
                prev_hash AS "prevHash", hash, key_id AS "keyId", signature, (extract(epoch FROM at) * 1000000)::bigint::text AS "atMicros"
           FROM revision WHERE workspace_id = $1 AND chain_index >= $2 ORDER BY chain_index LIMIT $3`,
        [ctx.workspaceId, cursor.nextIndex, VERIFY_BATCH],
      );
      const broken = verifyChain(rows, cursor, signed);
      const checked = cursor.nextIndex - 1;
      if (broken)
        return {
          valid: false,
          checked,
          brokenAt: Object.assign(new Revision(), broken.row),
          problem: broken.problem,
          unsigned,
        };
      if (rows.length < VERIFY_BATCH) return { valid: true, checked, brokenAt: null, problem: null, unsigned };
    }
  },

  async export(ctx: RequestContext, filter: HistoryFilter, format: 'CSV' | 'JSON'): Promise<string> {
    const total = await this.count(ctx, filter);
    if (total > MAX_EXPORT_ROWS)
      throw ValidationError.one('filter', `matches ${total} revisions; narrow it to at most ${MAX_EXPORT_ROWS}`);
    const rows = await filtered(ctx, filter).orderBy('r.chainIndex', 'ASC').getMany();
    const entry = (r: Revision) => EXPORT_COLUMNS.map((c) => r[c]);
    if (format === 'JSON')
      return JSON.stringify(
        rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c]]))),
        null,
        2,
      );
    // Every cell quoted and formula-guarded by the shared writer (objects as JSON, dates as ISO).
    const body = rows.length ? toCsv(rows.map(entry), { quoteAll: true }) : '';
    return `${EXPORT_COLUMNS.join(',')}\r\n${body}`;
  },
};
