import { CrudService } from '../../core/crud.service';
import { Workspace } from './workspace.entity';
import { WorkspaceInput } from './workspace.inputs';
import { db } from '../../db/transaction';
import { ConflictError } from '../../graphql/errors';
import { Icp } from '../icp/icp.entity';
import { announceWorkspaceChange } from '../../fit-score/announce';

export const workspaceService = new CrudService<Workspace>({
  entity: Workspace,
  label: 'workspace',
  input: WorkspaceInput,
  searchable: ['slug', 'name'],
  sortable: ['slug', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { slug: 'ASC' },
  beforeWrite: async (ctx, next, existing) => {
    if (existing && existing.slug !== next.slug) await announceWorkspaceChange(ctx, existing.id);
  },
  beforeDelete: async (ctx, ws) => {
    const inside = await db(ctx).count(Icp, { where: { workspaceId: ws.id } });
    if (inside) throw new ConflictError(`workspace "${ws.slug}" still holds ${inside} ICP(s); delete or move them first`, { id: ws.id });
    await announceWorkspaceChange(ctx, ws.id);
  },
});
