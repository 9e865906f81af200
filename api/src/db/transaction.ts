import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../graphql/context';

/**
 * The one way to write: runs `fn` in a transaction, joining the caller's when
 * `ctx` already has one, so a service can call another service and both
 * commit or roll back together.
 */
export async function withTransaction<T>(ctx: RequestContext, fn: (tx: RequestContext) => Promise<T>): Promise<T> {
  if (ctx.manager) return fn(ctx);
  return ctx.ds.transaction(async (manager) => fn({ ...ctx, manager }));
}

/** The connection to read with: the open transaction's, else the pool. */
export function db(ctx: RequestContext): EntityManager {
  return ctx.manager ?? ctx.ds.manager;
}
