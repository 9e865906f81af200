import { CrudService, WriteOptions } from '../../core/crud.service';
import type { RequestContext } from '../../graphql/context';
import { withTransaction } from '../../db/transaction';
import { Role } from '../../auth/roles';
import { membershipService } from '../membership/membership.service';
import { Workspace } from './workspace.entity';
import { WorkspaceInput } from './workspace.inputs';
import { db } from '../../db/transaction';
import { ConflictError } from '../../graphql/errors';
import { Icp } from '../icp/icp.entity';
import { announceWorkspaceChange } from '../../fit-score/announce';

class WorkspaceService extends CrudService<Workspace> {
  /** The user who creates a workspace becomes its first ADMIN, so someone can act in it. */
  async create(ctx: RequestContext, input: object, opts: WriteOptions = {}): Promise<Workspace> {
    return withTransaction(ctx, async (tx) => {
      const ws = await super.create(tx, input, opts);
      if (tx.principal?.kind === 'user') {
        await membershipService.create({ ...tx, workspaceId: ws.id }, { userId: tx.principal.id, role: Role.ADMIN }, { reason: 'created the workspace' });
      }
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
      ? { sql: 'e.id IN (SELECT m.workspace_id FROM membership m WHERE m.user_id = :me)', params: { me: ctx.principal.id } }
      : { sql: 'e.id = :own', params: { own: ctx.workspaceId } },
  beforeDelete: async (ctx, ws) => {
    const inside = await db(ctx).count(Icp, { where: { workspaceId: ws.id } });
    if (inside) throw new ConflictError(`workspace "${ws.slug}" still holds ${inside} ICP(s); delete or move them first`, { id: ws.id });
    await announceWorkspaceChange(ctx, ws.id);
  },
});
