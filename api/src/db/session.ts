import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Sends one statement on the session's connection, in turn. */
export type RunQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * Rows a writer holds back to send together (the revision writer's chain,
 * core/revision-writer.ts). The session sends them before any statement
 * that `needs` them, before switching workspace and before COMMIT, so no
 * reader of the transaction and no commit can miss them; a rolled-back
 * savepoint takes back what was held or sent inside it.
 */
export interface DeferredWrites {
  /** Whether rows are held back that `sql` must see (it reads or writes their table). */
  needs(sql: string): boolean;
  /** Sends the rows held back. */
  flush(run: RunQuery): Promise<void>;
  /** Where it stands now, to `restore` if the savepoint begun now rolls back. */
  mark(): unknown;
  restore(mark: unknown): void;
}

/**
 * Rows held back in the order made, and how many of them were sent: the
 * bookkeeping every DeferredWrites shares (what a savepoint's rollback takes
 * back included). A subclass says which statements need its rows and how to
 * send them (`send`, given the rows not sent yet).
 */
export abstract class HeldRows<R> implements DeferredWrites {
  protected readonly rows: R[] = [];
  /** Rows already sent to PostgreSQL. */
  private sent = 0;

  protected get unsent(): boolean {
    return this.sent < this.rows.length;
  }

  abstract needs(sql: string): boolean;
  protected abstract send(rows: R[], run: RunQuery): Promise<void>;

  async flush(run: RunQuery): Promise<void> {
    const rows = this.rows.slice(this.sent);
    this.sent = this.rows.length;
    await this.send(rows, run);
  }

  mark(): { rows: number; sent: number } {
    return { rows: this.rows.length, sent: this.sent };
  }

  restore(mark: unknown): void {
    const to = mark as { rows: number; sent: number };
    this.rows.length = to.rows;
    // Rows sent after the mark were rolled back with the savepoint: they are to send again.
    this.sent = Math.min(this.sent, to.sent);
  }
}

/**
 * One connection and one transaction, scoped to a workspace: the only way
 * the application reaches tenant tables. Row-level security lets a query see
 * and write only the rows of `app.workspace_id`, which is set with
 * set_config(…, true), so it lives and dies with this transaction and can
 * never leak to the next user of a pooled connection.
 *
 * The transaction begins on the first query (a request that runs none, like
 * a warm fitScore, takes no connection) and ends with `end()`. Nested units
 * of work are savepoints. TypeORM is told a transaction is active from the
 * start, so it never opens one of its own on this connection.
 */
export class DbSession {
  private _qr?: QueryRunner;
  private raw!: (sql: string, params?: unknown[]) => Promise<unknown>;
  private begun?: Promise<void>;
  private savepoints = 0;
  private ended = false;
  /** The last query sent: one connection runs one query at a time, so each waits for the one before. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Jobs to run once the transaction has committed (cache invalidation). */
  readonly afterCommit: (() => void)[] = [];
  /** Writes held back, by key (see DeferredWrites). */
  private readonly deferred = new Map<string, DeferredWrites>();
  /** Inside an all-or-nothing unit (see `allOrNothing`), nested units take no savepoint of their own. */
  private flat = 0;
  /** Reads remembered inside an all-or-nothing unit (see `remember`), by key. */
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ds: DataSource,
    private workspaceId: string,
  ) {}

  /** The query runner, made on first use: a request that never touches the database costs nothing. */
  private get qr(): QueryRunner {
    if (!this._qr) {
      const qr = this.ds.createQueryRunner();
      (qr as { isTransactionActive: boolean }).isTransactionActive = true;
      const query = qr.query.bind(qr) as (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
      // DataLoaders and Promise.all send queries together; pg 8 queues them on the client with a
      // deprecation warning, pg 9 will refuse: they wait their turn here instead.
      this.raw = (sql, params) => this.inTurn(() => query(sql, params));
      qr.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
        await this.begin();
        await this.flushFor(sql);
        return this.inTurn(() => query(sql, params, structured));
      }) as QueryRunner['query'];
      this._qr = qr;
    }
    return this._qr;
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get manager(): EntityManager {
    return this.qr.manager;
  }

  private begin(): Promise<void> {
    if (this.ended) return Promise.reject(new Error('the database session has ended'));
    void this.qr;
    this.begun ??= (async () => {
      await this.raw('BEGIN');
      await this.raw(`SELECT set_config('app.workspace_id', $1, true)`, [this.workspaceId]);
    })();
    return this.begun;
  }

  /** The writes held back under `key`, made by `make` on first use in this transaction. */
  deferredWrites<T extends DeferredWrites>(key: string, make: () => T): T {
    let d = this.deferred.get(key);
    if (!d) this.deferred.set(key, (d = make()));
    return d as T;
  }

  /** Whether an all-or-nothing unit is running: any error from here on abandons it whole. */
  get allOrNothingUnit(): boolean {
    return this.flat > 0;
  }

  /**
   * `read`'s result, read once per all-or-nothing unit under `key` (outside
   * one, read every time): an import checks the same ICP and catalogue for
   * each of its parts. `forget` drops the keys a write makes stale.
   */
  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.flat) return read();
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) this.memo.set(key, (hit = read()));
    return hit;
  }

  /** Drops what `remember` holds under keys beginning with `prefix` (a type whose rows were written). */
  forget(prefix: string): void {
    for (const key of this.memo.keys()) if (key.startsWith(prefix)) this.memo.delete(key);
  }

  /**
   * Sends every held-back write now, so that what PostgreSQL refuses in them is refused here, in the caller's
   * context (an import sends its ICP's row inside that row's own write: a slug taken meanwhile is reported there).
   */
  async sendHeld(): Promise<void> {
    if (this.begun) await this.flushFor(null);
  }

  /** Sends the held-back writes `sql` must see (all of them when `sql` is null). */
  private async flushFor(sql: string | null): Promise<void> {
    for (const d of this.deferred.values()) if (sql === null || d.needs(sql)) await d.flush(this.raw);
  }

  /** Acts in another workspace from here on (creating a workspace, loading one). */
  async setWorkspace(workspaceId: string): Promise<void> {
    this.workspaceId = workspaceId;
    // What was read under the other workspace's row-level security is not this one's.
    this.memo.clear();
    if (this.begun) {
      await this.begun;
      // Held-back rows are written under the workspace they were made in (row-level security).
      await this.flushFor(null);
      await this.raw(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    }
  }

  /**
   * Runs `fn` in a savepoint: its writes are undone if it throws, the rest of
   * the transaction stays. Inside an all-or-nothing unit it runs `fn` as it
   * is: a failure there undoes the whole unit anyway.
   */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    if (this.flat) return fn();
    await this.begin();
    const name = `sp_${++this.savepoints}`;
    await this.raw(`SAVEPOINT ${name}`);
    const marks = new Map([...this.deferred].map(([key, d]) => [key, d.mark()]));
    try {
      const result = await fn();
      await this.raw(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.raw(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      // What was held back or sent inside the savepoint is gone with it; writers begun inside it start again.
      for (const [key, d] of this.deferred) {
        if (marks.has(key)) d.restore(marks.get(key));
        else this.deferred.delete(key);
      }
      throw e;
    }
  }

  /**
   * Runs `fn` in one savepoint in which nested units take none of their own
   * (two statements fewer per write): for a unit that is all or nothing, like
   * an ICP file's import, whose every error abandons the whole unit.
   */
  async allOrNothing<T>(fn: () => Promise<T>): Promise<T> {
    return this.savepoint(async () => {
      this.flat++;
      try {
        return await fn();
      } finally {
        // What it remembered may be undone with it, and is not kept past it.
        if (!--this.flat) this.memo.clear();
      }
    });
  }

  /** Commits (or rolls back) and gives the connection back; after a commit, runs the queued jobs. */
  async end(commit: boolean): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      if (this.begun) {
        const failed = await this.begun.then(
          () => undefined,
          (e: unknown) => e ?? new Error('unknown'),
        );
        if (!failed && commit) await this.flushFor(null);
        if (!failed) await this.raw(commit ? 'COMMIT' : 'ROLLBACK');
        else if (commit) throw new Error('the transaction could not begin', { cause: failed });
      }
    } catch (e) {
      await this.raw('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await this._qr?.release().catch(() => undefined);
    }
    if (commit) for (const job of this.afterCommit) job();
  }
}
