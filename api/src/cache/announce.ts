import type { RequestContext } from '../core/context';
import { CHANNEL } from '../db/notifications';
import { afterCommit, notify } from '../db/transaction';

/**
 * An ICP was published, renamed or deleted: once the transaction commits,
 * this process drops its cached head at once and every other process hears
 * it through PostgreSQL NOTIFY (sent inside the transaction, so only on commit).
 */
export async function announceIcpChange(ctx: RequestContext, icpId: string): Promise<void> {
  await notify(ctx, CHANNEL.icp, { workspaceId: ctx.workspaceId, icpId });
  afterCommit(ctx, () => ctx.cache?.dropIcp(ctx.workspaceId, icpId));
}

export async function announceWorkspaceChange(ctx: RequestContext, workspaceId: string): Promise<void> {
  await notify(ctx, CHANNEL.workspace, { workspaceId });
  afterCommit(ctx, () => ctx.cache?.dropPrincipals());
}

/** A user, membership or API key changed: every process drops its cached principals. */
export async function announceAuthChange(ctx: RequestContext): Promise<void> {
  await notify(ctx, CHANNEL.auth, {});
  afterCommit(ctx, () => ctx.cache?.dropPrincipals());
}
