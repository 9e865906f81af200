import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../graphql/context';

/**
 * The one way to write: runs `fn` in a transaction, joining the caller's when
 * `ctx` already has one, so a service can call another service and both
 * commit or roll back together. Work queued with `afterCommit` runs once the
 * outermost transaction has committed (never if it rolls back).
 */
export async function withTransaction<T>(ctx: RequestContext, fn: (tx: RequestContext) => Promise<T>): Promise<T> {
  if (ctx.manager) return fn(ctx);
  const queue: (() => void)[] = [];
  const result = await ctx.ds.transaction(async (manager) => fn({ ...ctx, manager, afterCommit: queue }));
  for (const job of queue) job();
  return result;
}

/** Runs `job` after the current transaction commits (at once when there is none). */
export function afterCommit(ctx: RequestContext, job: () => void): void {
  if (ctx.afterCommit) ctx.afterCommit.push(job);
  else job();
}

/** The connection to read with: the open transaction's, else the pool. */
export function db(ctx: RequestContext): EntityManager {
  return ctx.manager ?? ctx.ds.manager;
}

/** Tells every API process (through PostgreSQL) that something cached changed; delivered only on commit. */
export async function notify(ctx: RequestContext, channel: string, payload: Record<string, unknown>): Promise<void> {
  await db(ctx).query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
}
