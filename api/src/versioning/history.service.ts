import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { db, type RequestContext, type ServiceRegistry } from '../core/context';
import { NotFoundError, ValidationError } from '../core/errors';
import { isUuid } from '../core/inputs';
import { checkedPage, type PageArgs } from '../core/pagination';
import { toCsv } from '../csv/csv';
import { assertMayWrite, unreadableTypes } from '../auth/policy';
import { partTypes } from '../modules/icp/icp-parts';
import { publicKeyText } from '../core/history-keys';
import type { HistoryCheckpoint } from '../core/history-checkpoint';
import { CheckpointRefused, type VerificationResult, verifyHistory } from '../core/history-verifier';
import { chainBatches, type ChainRow, headCheckpoint, lastUnsignedIndex, type SqlQuery } from '../core/history-rows';
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

/** The verifier's result, the broken revision as the GraphQL type. */
export type Verification = Omit<VerificationResult<ChainRow>, 'brokenAt'> & { brokenAt: Revision | null };

/** A public key of the history and its use in the workspace. */
export interface PublicKeyUse {
  keyId: string;
  publicKey: string;
  current: boolean;
  retiredAt: Date | null;
  firstSignedAt: Date | null;
  lastSignedAt: Date | null;
  revisions: number;
}

/** The request's connection as the shared chain readers take it. */
const sqlOf =
  (ctx: RequestContext): SqlQuery =>
  (sql, params) =>
    db(ctx).query(sql, params);

/** A reverted record: what it is, and the record itself through its own GraphQL type. */
export interface RevertedRecord {
  entityType: string;
  id: string;
  revision: number;
  record: { id: string; revision: number };
}

export const MAX_HISTORY_PAGE = 1000;
export const MAX_EXPORT_ROWS = 100_000;
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
  // The history of a type is read as the type is: a role that may not read webhooks (their URLs can be credentials)
  // or invitations does not read their revisions either (the /v1/history stream, for verifying, holds every row).
  const unreadable = ctx.principal ? unreadableTypes(ctx.principal.role) : [];
  if (unreadable.length) qb.andWhere('r.entityType NOT IN (:...unreadable)', { unreadable });
  // The schema's HistoryEntityType enum refuses a type the history does not hold (historyEntityTypes).
  if (f.entityType) qb.andWhere('r.entityType = :type', { type: f.entityType });
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
  async list(ctx: RequestContext, filter: HistoryFilter = {}, page?: Partial<PageArgs> | null): Promise<Revision[]> {
    const { offset, limit } = checkedPage(page, MAX_HISTORY_PAGE);
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
   * Verifies the workspace's chain with the shared verifier (core/history-verifier.ts):
   * every hash, link and signature from the first revision, or, given a
   * trusted checkpoint, that it still holds and everything after it.
   */
  async verify(ctx: RequestContext, checkpoint?: HistoryCheckpoint | null): Promise<Verification> {
    const query = sqlOf(ctx);
    const opts = {
      keys: ctx.historyKeys,
      workspace: ctx.workspaceId,
      lastUnsigned: await lastUnsignedIndex(query, ctx.workspaceId),
      checkpoint,
    };
    try {
      const result = await verifyHistory(opts, chainBatches(query, ctx.workspaceId));
      return { ...result, brokenAt: result.brokenAt && Object.assign(new Revision(), result.brokenAt) };
    } catch (e) {
      if (e instanceof CheckpointRefused) throw ValidationError.one(e.path, e.message);
      throw e;
    }
  },

  /** The workspace's head now, signed now: what an auditor keeps. */
  checkpoint(ctx: RequestContext): Promise<HistoryCheckpoint> {
    return headCheckpoint(sqlOf(ctx), ctx.historyKeys, ctx.workspaceId);
  },

  /** Every public key the history trusts, with when it signed in this workspace. */
  async publicKeys(ctx: RequestContext): Promise<PublicKeyUse[]> {
    const used: { keyId: string; first: Date; last: Date; n: number }[] = await db(ctx).query(
      `SELECT key_id AS "keyId", min(at) AS first, max(at) AS last, count(*)::int AS n
         FROM revision WHERE workspace_id = $1 AND key_id IS NOT NULL GROUP BY key_id`,
      [ctx.workspaceId],
    );
    const byId = new Map(used.map((u) => [u.keyId, u]));
    return [...ctx.historyKeys.publicKeys.values()]
      .map((k) => ({
        keyId: k.keyId,
        publicKey: publicKeyText(k.key),
        current: k.keyId === ctx.historyKeys.signing.keyId,
        retiredAt: k.retiredAt,
        firstSignedAt: byId.get(k.keyId)?.first ?? null,
        lastSignedAt: byId.get(k.keyId)?.last ?? null,
        revisions: byId.get(k.keyId)?.n ?? 0,
      }))
      .sort(
        (a, b) =>
          Number(b.current) - Number(a.current) || (b.retiredAt?.getTime() ?? 0) - (a.retiredAt?.getTime() ?? 0),
      );
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
