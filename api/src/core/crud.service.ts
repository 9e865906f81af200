import {
  type DeepPartial,
  type EntityMetadata,
  type FindOptionsSelect,
  type FindOptionsWhere,
  type SelectQueryBuilder,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { db, type EntityService, type RequestContext, type Versioned, type WriteOptions } from './context';

export type { EntityService, Versioned, WriteOptions } from './context';
import { ConflictError, NotFoundError, ValidationError } from './errors';
import { checkedPage, type PageArgs, type SortKey } from './pagination';
import { withTransaction } from '../db/transaction';
import { isUuid, plain, rulesOf, validateInput } from './inputs';
import { recordRevision, transactionNow } from './revision-writer';
import { constraintError } from './constraint-errors';
import { heldInserts } from './held-inserts';
import { assertMayWrite } from '../auth/policy';
import { RevisionAction } from './revision.entity';

type Class<E> = new () => E;
type Row = Record<string, unknown>;
/** What every record the generic service keeps has. */

export interface Reference {
  /** The input field holding the id, e.g. `tierId`. */
  field: string;
  entity: Class<{ id: string }>;
  /** How to name it in messages: "tier". */
  label: string;
  /** The referenced record must belong to the same ICP as this one. */
  sameIcp?: boolean;
}

export interface EntityConfig<E> {
  entity: Class<E>;
  /** Lower-case singular for messages: "persona". */
  label: string;
  input: Function;
  searchable: (keyof E & string)[];
  sortable: (keyof E & string)[];
  defaultSort: Partial<Record<keyof E & string, 'ASC' | 'DESC'>>;
  references?: Reference[];
  /** Fields set on create and never changed afterwards. */
  immutable?: (keyof E & string)[];
  /** Siblings share this field; a new record without `position` goes last among them. */
  positionScope?: keyof E & string;
  /** Module-specific derivation or checks on the full new state, inside the transaction. */
  beforeWrite?(ctx: RequestContext, next: Row, existing: E | null): Promise<void>;
  /** Checks before a deletion (e.g. refuse deleting a published ICP). */
  beforeDelete?(ctx: RequestContext, existing: E): Promise<void>;
  /** Records that point here through `field`: deleted with it, or unlinked. */
  dependents?: (ctx: RequestContext) => Dependent[];
  /** Stored fields kept out of history (secrets: password and key hashes). */
  hidden?: string[];
  /** For records that are not a workspace's own (users): which of them this workspace may see. */
  visible?(ctx: RequestContext): { sql: string; params: Record<string, unknown> };
  /** The ICP a record belongs to, for its revisions (default: its `icpId`; an ICP is its own). */
  icpOf?(record: E): string | null;
}

export interface Dependent {
  service: EntityService;
  field: string;
  onDelete: 'delete' | 'nullify';
}

export interface ListArgs {
  filter?: Row | null;
  sort?: SortKey[] | null;
  page?: Partial<PageArgs> | null;
}

/**
 * The generic service behind every entity: list, get, create, update, delete
 * and revert with validation, tenant scoping, reference checks,
 * compare-and-swap on `revision`, and a revision in the history for every
 * change, written in the change's transaction. Modules configure it; none
 * re-implements it.
 */
export class CrudService<E extends Versioned> implements EntityService {
  constructor(readonly cfg: EntityConfig<E>) {}

  get entity(): Class<E> {
    return this.cfg.entity;
  }

  get label(): string {
    return this.cfg.label;
  }

  private meta(ctx: RequestContext): EntityMetadata {
    return ctx.ds.getMetadata(this.cfg.entity);
  }

  private tenant(ctx: RequestContext): boolean {
    return !!this.meta(ctx).findColumnWithPropertyName('workspaceId');
  }

  async list(ctx: RequestContext, args: ListArgs = {}): Promise<E[]> {
    const qb = this.filtered(ctx, args.filter ?? {});
    const sort = args.sort?.length
      ? args.sort
      : Object.entries(this.cfg.defaultSort).map(([field, order]) => ({ field, order }));
    const sortable: readonly string[] = this.cfg.sortable;
    sort.forEach((s, i) => {
      if (!sortable.includes(s.field)) {
        throw ValidationError.one(
          `sort[${i}].field`,
          `cannot sort by "${s.field}"; sortable fields: ${this.cfg.sortable.join(', ')}`,
        );
      }
      // Text sorts the way people read it, whatever the database's collation.
      const column = this.meta(ctx).findColumnWithPropertyName(s.field);
      const expr = column?.type === 'text' && !column.isArray ? `LOWER(e.${s.field})` : `e.${s.field}`;
      qb.addOrderBy(expr, s.order === 'DESC' ? 'DESC' : 'ASC');
    });
    qb.addOrderBy('e.id', 'ASC');
    const { offset, limit } = checkedPage(args.page);
    return qb.offset(offset).limit(limit).getMany();
  }

  async count(ctx: RequestContext, filter: Row): Promise<number> {
    return this.filtered(ctx, filter).getCount();
  }

  private filtered(ctx: RequestContext, filter: Row): SelectQueryBuilder<E> {
    const qb = db(ctx).createQueryBuilder(this.cfg.entity, 'e');
    if (this.tenant(ctx)) qb.andWhere('e.workspaceId = :ws', { ws: ctx.workspaceId });
    if (this.cfg.visible) {
      const v = this.cfg.visible(ctx);
      qb.andWhere(v.sql, v.params);
    }
    this.applyFilter(ctx, qb, filter);
    return qb;
  }

  private applyFilter(ctx: RequestContext, qb: SelectQueryBuilder<E>, filter: Row): void {
    const meta = this.meta(ctx);
    for (const [key, value] of Object.entries(plain(filter))) {
      if (value === undefined || value === null) continue;
      if (key === 'q') {
        if (!this.cfg.searchable.length) continue;
        const terms = this.cfg.searchable.map((c) => `e.${c} ILIKE :q`).join(' OR ');
        qb.andWhere(`(${terms})`, { q: `%${String(value).replace(/[\\%_]/g, '\\$&')}%` });
      } else if (key === 'ids') {
        const ids = (value as string[]).filter(isUuid);
        qb.andWhere(ids.length ? 'e.id IN (:...ids)' : 'false', { ids });
      } else {
        const column = meta.findColumnWithPropertyName(key);
        if (!column) throw ValidationError.one(`filter.${key}`, `${this.cfg.label} has no field "${key}"`);
        if (column.type === 'uuid' && !(Array.isArray(value) ? value.every(isUuid) : isUuid(value))) {
          qb.andWhere('false');
        } else if (column.isArray) {
          // A list field (persona buyingRoles) matches records holding the value.
          qb.andWhere(`:f_${key} = ANY(e.${key})`, { [`f_${key}`]: value });
        } else if (Array.isArray(value)) {
          qb.andWhere(`e.${key} IN (:...f_${key})`, { [`f_${key}`]: value.length ? value : [null] });
        } else {
          qb.andWhere(`e.${key} = :f_${key}`, { [`f_${key}`]: value });
        }
      }
    }
  }

  /** The record, or NotFound naming the entity and id (also for ids of other workspaces). */
  async get(ctx: RequestContext, id: string, path = 'id'): Promise<E> {
    const found = isUuid(id)
      ? await (this.cfg.visible
          ? this.filtered(ctx, { ids: [id] }).getOne()
          : db(ctx).findOne(this.cfg.entity, { where: this.where(ctx, id) }))
      : null;
    if (!found) throw new NotFoundError(this.cfg.label, id, path);
    return found;
  }

  async create(ctx: RequestContext, rawInput: object, opts: WriteOptions = {}): Promise<E> {
    const input = plain(rawInput) as Row;
    validateInput(this.cfg.input, input, 'create');
    return withTransaction(ctx, async (tx) => {
      const next: Row = { ...input, ...opts.set };
      if (this.tenant(tx)) next.workspaceId = tx.workspaceId;
      await this.checkReferences(tx, next, null);
      await this.cfg.beforeWrite?.(tx, next, null);
      if (this.cfg.positionScope && next.position == null) next.position = await this.nextPosition(tx, next);
      return this.insert(tx, next, RevisionAction.CREATE, opts.reason);
    });
  }

  async update(
    ctx: RequestContext,
    id: string,
    expectedRevision: number,
    rawInput: object,
    opts: WriteOptions = {},
  ): Promise<E> {
    const input = plain(rawInput) as Row;
    validateInput(this.cfg.input, input, 'update');
    return withTransaction(ctx, async (tx) => {
      const existing = await this.get(tx, id);
      this.checkRevision(existing, expectedRevision);
      this.assertCreateOnly(existing, input);
      return this.applyUpdate(tx, existing, { ...input, ...opts.set }, RevisionAction.UPDATE, opts.reason);
    });
  }

  async delete(ctx: RequestContext, id: string, expectedRevision: number, opts: WriteOptions = {}): Promise<E> {
    return withTransaction(ctx, async (tx) => {
      const existing = await this.get(tx, id);
      this.checkRevision(existing, expectedRevision);
      await this.cfg.beforeDelete?.(tx, existing);
      tx.session?.forget(`${this.cfg.entity.name}:`);
      // Dependent records go through their own service, so each gets its revision.
      for (const dep of this.cfg.dependents?.(tx) ?? []) {
        const rows = await db(tx).find(dep.service.entity, { where: { [dep.field]: id } });
        for (const row of rows) {
          if (dep.onDelete === 'delete')
            await dep.service.delete(tx, row.id, row.revision, { reason: `${this.cfg.label} ${id} deleted` });
          else
            await dep.service.applyUpdate(
              tx,
              row,
              { [dep.field]: null },
              RevisionAction.UPDATE,
              `${this.cfg.label} ${id} deleted`,
            );
        }
      }
      const result = await this.translate(tx, () =>
        db(tx)
          .createQueryBuilder()
          .delete()
          .from(this.cfg.entity)
          .where('id = :id AND revision = :rev', { id, rev: expectedRevision })
          .execute(),
      );
      if (!result.affected) await this.conflict(tx, id, expectedRevision);
      // Again after the DELETE: a read of this type remembered while the dependents were written is stale now.
      tx.session?.forget(`${this.cfg.entity.name}:`);
      await this.record(tx, existing, null, existing.revision + 1, RevisionAction.DELETE, opts.reason);
      return existing;
    });
  }

  /** Create-only fields (`immutable`) keep their value on every later write: an update as a revert. */
  private assertCreateOnly(existing: E, next: Row): void {
    for (const field of this.cfg.immutable ?? []) {
      if (field in next && next[field] !== (existing as Row)[field]) {
        throw ValidationError.one(`input.${field}`, `cannot be changed after the ${this.cfg.label} is created`);
      }
    }
  }

  /**
   * Brings a record back to a past state (a snapshot from its history): an
   * update when it exists, a re-creation with its old id when it was deleted.
   * Either way a new revision; history is never rewritten.
   */
  async revertTo(ctx: RequestContext, state: Row, currentRevision: number, reason: string): Promise<E> {
    // Every revert (of one record, or of a whole ICP to a version) asks the policy of the type.
    assertMayWrite(ctx, 'revert', this.cfg.entity.name);
    return withTransaction(ctx, async (tx) => {
      const id = state.id as string;
      const existing = await db(tx).findOne(this.cfg.entity, { where: this.where(tx, id) });
      const writable = Object.fromEntries(
        [...rulesOf(this.cfg.input).keys()].filter((k) => k in state).map((k) => [k, state[k]]),
      );
      if (existing) {
        this.checkRevision(existing, currentRevision);
        this.assertCreateOnly(existing, writable);
        return this.applyUpdate(tx, existing, writable, RevisionAction.REVERT, reason);
      }
      // A restore names the revision of the deletion, as an update names the current one.
      const [last] = await db(tx).query(
        'SELECT max(revision) AS r FROM revision WHERE entity_id = $1 AND workspace_id = $2',
        [id, tx.workspaceId],
      );
      if (Number(last?.r) !== currentRevision) {
        throw new ConflictError(
          `${this.cfg.label} ${id} was deleted at revision ${last?.r}; you named revision ${currentRevision}`,
          { id, currentRevision: Number(last?.r), expectedRevision: currentRevision },
        );
      }
      const next: Row = { ...writable, id, revision: currentRevision + 1 };
      if (this.tenant(tx)) next.workspaceId = tx.workspaceId;
      await this.checkReferences(tx, next, null);
      await this.cfg.beforeWrite?.(tx, next, null);
      return this.insert(tx, next, RevisionAction.REVERT, reason);
    });
  }

  private async insert(tx: RequestContext, next: Row, action: RevisionAction, reason?: string | null): Promise<E> {
    tx.session?.forget(`${this.cfg.entity.name}:`);
    const saved = (await this.hold(tx, next)) ?? (await this.save(tx, next));
    await this.record(tx, null, saved, saved.revision, action, reason);
    return saved;
  }

  private save(tx: RequestContext, next: Row): Promise<E> {
    const repo = db(tx).getRepository(this.cfg.entity);
    return this.translate(tx, () => repo.save(repo.create(next as DeepPartial<E>)), next);
  }

  /**
   * In an all-or-nothing unit (an ICP file's import), the new row made here
   * and held back to be sent with the others in one INSERT (core/held-inserts.ts);
   * null elsewhere, or when PostgreSQL must make part of it.
   */
  private async hold(tx: RequestContext, next: Row): Promise<E | null> {
    const held = heldInserts(tx);
    if (!held) return null;
    const at = await transactionNow(tx, (next.workspaceId as string | undefined) ?? tx.workspaceId);
    return held.hold(this.meta(tx), this.cfg.label, next, at) as E | null;
  }

  /** The compare-and-swap update every change goes through; records its revision. */
  async applyUpdate(
    tx: RequestContext,
    existing: E,
    input: Row,
    action: RevisionAction,
    reason?: string | null,
  ): Promise<E> {
    tx.session?.forget(`${this.cfg.entity.name}:`);
    const next: Row = { ...(existing as Row), ...input };
    await this.checkReferences(tx, next, existing);
    const beforeHook = { ...next };
    await this.cfg.beforeWrite?.(tx, next, existing);
    // What the input names, plus what the hook derived (e.g. a password's hash), stored columns only.
    const meta = this.meta(tx);
    const keys = new Set([...Object.keys(input), ...Object.keys(next).filter((k) => next[k] !== beforeHook[k])]);
    const patch = Object.fromEntries(
      [...keys].filter((k) => meta.findColumnWithPropertyName(k)).map((k) => [k, next[k]]),
    );
    const result = await this.translate(
      tx,
      () =>
        db(tx)
          .createQueryBuilder()
          .update(this.cfg.entity)
          .set({ ...patch, revision: () => 'revision + 1' } as QueryDeepPartialEntity<E>)
          .where('id = :id AND revision = :rev', { id: existing.id, rev: existing.revision })
          .execute(),
      next,
    );
    if (!result.affected) await this.conflict(tx, existing.id, existing.revision);
    const after = await this.get(tx, existing.id);
    await this.record(tx, existing, after, after.revision, action, reason);
    return after;
  }

  private record(
    tx: RequestContext,
    before: E | null,
    after: E | null,
    revision: number,
    action: RevisionAction,
    reason?: string | null,
  ) {
    const rec = (after ?? before) as Row;
    const hide = (r: E | null) =>
      r && this.cfg.hidden
        ? (Object.fromEntries(Object.entries(r).filter(([k]) => !this.cfg.hidden!.includes(k))) as E)
        : r;
    [before, after] = [hide(before), hide(after)];
    return recordRevision(tx, {
      entityType: this.cfg.entity.name,
      entityId: rec.id as string,
      // Global records (workspaces, users) are chained in the workspace acting on them.
      workspaceId: (rec.workspaceId as string | undefined) ?? tx.workspaceId,
      icpId: this.cfg.icpOf ? this.cfg.icpOf(rec as E) : ((rec.icpId as string | undefined) ?? null),
      revision,
      action,
      before,
      after,
      reason,
    });
  }

  private where(ctx: RequestContext, id: string): FindOptionsWhere<E> {
    return (this.tenant(ctx) ? { id, workspaceId: ctx.workspaceId } : { id }) as FindOptionsWhere<E>;
  }

  /** Throws CONFLICT, naming the current revision, when `expected` is stale. */
  checkRevision(existing: E, expected: number): void {
    if (existing.revision !== expected) {
      throw new ConflictError(
        `${this.cfg.label} ${existing.id} was changed by someone else: you edited revision ${expected}, the current revision is ${existing.revision}`,
        { currentRevision: existing.revision, expectedRevision: expected, id: existing.id },
      );
    }
  }

  /** Called when a compare-and-swap matched no row: report the current revision, or NotFound. */
  private async conflict(ctx: RequestContext, id: string, expected: number): Promise<never> {
    const current = await db(ctx).findOne(this.cfg.entity, { where: this.where(ctx, id) });
    if (!current) throw new NotFoundError(this.cfg.label, id, 'id');
    this.checkRevision(current, expected);
    throw new ConflictError(`${this.cfg.label} ${id} changed while it was being saved; reload and try again`, { id });
  }

  private async checkReferences(ctx: RequestContext, next: Row, existing: E | null): Promise<void> {
    for (const ref of this.cfg.references ?? []) {
      const value = next[ref.field];
      if (value === null || value === undefined) continue;
      if (existing && (existing as Row)[ref.field] === value) continue;
      if (!isUuid(value))
        throw ValidationError.one(
          `input.${ref.field}`,
          `must be the id (a UUID) of a ${ref.label}, got ${JSON.stringify(value)}`,
        );
      const meta = ctx.ds.getMetadata(ref.entity);
      const where = meta.findColumnWithPropertyName('workspaceId')
        ? { id: value, workspaceId: ctx.workspaceId }
        : { id: value };
      // Only what the check needs: a referenced ICP's row is wide (lists, JSON) and an import checks it per part.
      const select = { id: true, ...(ref.sameIcp ? { icpId: true } : {}) } as FindOptionsSelect<{ id: string }>;
      const read = (): Promise<Row | null> => db(ctx).findOne(ref.entity, { where, select });
      // Read once per all-or-nothing unit (an import's parts all name its ICP); a write of the type forgets it.
      const key = `${ref.entity.name}:${ref.sameIcp ? 'icp:' : ''}${value}`;
      const target = await (ctx.session ? ctx.session.remember(key, read) : read());
      if (!target) throw new NotFoundError(ref.label, value, `input.${ref.field}`);
      if (ref.sameIcp && target.icpId !== next.icpId) {
        throw ValidationError.one(`input.${ref.field}`, `${ref.label} ${value} belongs to another ICP`);
      }
    }
  }

  private async nextPosition(ctx: RequestContext, next: Row): Promise<number> {
    const scope = this.cfg.positionScope!;
    const row = await db(ctx)
      .createQueryBuilder(this.cfg.entity, 'e')
      .select('COALESCE(MAX(e.position), -1) + 1', 'next')
      .where(`e.${scope} = :scope`, { scope: next[scope] })
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 0);
  }

  /** Turns constraint violations into errors that name the field. */
  private async translate<T>(ctx: RequestContext, fn: () => Promise<T>, values: Row = {}): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw constraintError(this.meta(ctx), this.cfg.label, e, values) ?? e;
    }
  }
}
