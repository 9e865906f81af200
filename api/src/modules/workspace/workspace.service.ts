import { CrudService, type WriteOptions } from '../../core/crud.service';
import { db, type RequestContext } from '../../core/context';
import { switchWorkspace, withTransaction } from '../../db/transaction';
import { randomUUID } from 'node:crypto';
import { Role } from '../../auth/roles';
import { membershipService } from '../membership/membership.service';
import { Workspace } from './workspace.entity';
import { WorkspaceInput } from './workspace.inputs';
import { ConflictError } from '../../core/errors';
import { Icp } from '../icp/icp.entity';
import { announceWorkspaceChange } from '../../cache/announce';

class WorkspaceService extends CrudService<Workspace> {
  /** The user who creates a workspace becomes its first ADMIN, so someone can act in it. */
  async create(ctx: RequestContext, input: object, opts: WriteOptions = {}): Promise<Workspace> {
    // Row-level security admits a workspace's row only while acting in it: its id is chosen first.
    const id = randomUUID();
    return withTransaction(ctx, async (tx) => {
      const inNew = await switchWorkspace(tx, id);
      const ws = await super.create(inNew, input, { ...opts, set: { ...opts.set, id } });
      if (tx.principal?.kind === 'user') {
        await membershipService.create(
          inNew,
          { userId: tx.principal.id, role: Role.ADMIN },
          { reason: 'created the workspace' },
        );
      }
      await switchWorkspace(tx, tx.workspaceId);
      return ws;
    });
  }
}

export const workspaceService = new WorkspaceService({
  entity: Workspace,
  label: 'workspace',
  input: WorkspaceInput,
  searchable: ['slug', 'name'],
  sortable: ['slug', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { slug: 'ASC' },
  beforeWrite: async (ctx, next, existing) => {
    if (existing && existing.slug !== next.slug) await announceWorkspaceChange(ctx, existing.id);
  },
  // A user sees the workspaces they belong to; an API key, its own.
  visible: (ctx) =>
    ctx.principal?.kind === 'user'
      ? {
          sql: 'e.id IN (SELECT m.workspace_id FROM membership m WHERE m.user_id = :me)',
          params: { me: ctx.principal.id },
        }
      : { sql: 'e.id = :own', params: { own: ctx.workspaceId } },
  beforeDelete: async (ctx, ws) => {
    const inside = await db(ctx).count(Icp, { where: { workspaceId: ws.id } });
    if (inside)
      throw new ConflictError(`workspace "${ws.slug}" still holds ${inside} ICP(s); delete or move them first`, {
        id: ws.id,
      });
    await announceWorkspaceChange(ctx, ws.id);
  },
});
