import { db, deriveContext, type RequestContext } from '../core/context';
import { DbSession } from './session';

export interface UnitOptions {
  /**
   * The units nested in this one take no savepoint of their own (two
   * statements fewer each): for a unit whose every error abandons it whole,
   * like an ICP file's import. Nothing inside may catch an error and go on.
   */
  allOrNothing?: boolean;
}

/**
 * The one way to write (and to read outside a request): runs `fn` in a unit
 * of work. Inside a request, or inside another unit, it is a savepoint of the
 * same transaction, so a service can call another service and both commit or
 * roll back together; otherwise it is a session of its own, committed at the
 * end. Jobs queued with `afterCommit` run once the outermost transaction has
 * committed (never if it rolls back).
 */
export async function withTransaction<T>(
  ctx: RequestContext,
  fn: (tx: RequestContext) => Promise<T>,
  opts: UnitOptions = {},
): Promise<T> {
  const unit = (session: DbSession, run: () => Promise<T>) =>
    opts.allOrNothing ? session.allOrNothing(run) : session.savepoint(run);
  if (ctx.session) return unit(ctx.session, () => fn(ctx));
  const session = new DbSession(ctx.ds, ctx.workspaceId);
  const tx = deriveContext(ctx, { session, manager: session.manager, afterCommit: session.afterCommit });
  let result: T;
  try {
    result = await (opts.allOrNothing ? unit(session, () => fn(tx)) : fn(tx));
  } catch (e) {
    await session.end(false);
    throw e;
  }
  await session.end(true);
  return result;
}

/** Acts in another workspace for the rest of this unit of work (row-level security follows). */
export async function switchWorkspace(ctx: RequestContext, workspaceId: string): Promise<RequestContext> {
  await ctx.session?.setWorkspace(workspaceId);
  return deriveContext(ctx, { workspaceId });
}

/** Runs `job` after the current transaction commits (at once when there is none). */
export function afterCommit(ctx: RequestContext, job: () => void): void {
  if (ctx.afterCommit) ctx.afterCommit.push(job);
  else job();
}

/** Tells every API process (through PostgreSQL) that something cached changed; delivered only on commit. */
export async function notify(ctx: RequestContext, channel: string, payload: Record<string, unknown>): Promise<void> {
  await db(ctx).query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
}
