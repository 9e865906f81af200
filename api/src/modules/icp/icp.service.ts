import { CrudService } from '../../core/crud.service';
import type { RequestContext } from '../../graphql/context';
import { NotFoundError } from '../../graphql/errors';
import { isUuid } from '../../core/inputs';
import { db } from '../../db/transaction';
import { Icp, IcpStatus } from './icp.entity';
import { IcpInput } from './icp.inputs';

class IcpService extends CrudService<Icp> {
  /** An ICP by id or slug, as client tools name it. */
  async byIdOrSlug(ctx: RequestContext, idOrSlug: string): Promise<Icp> {
    const where = isUuid(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug };
    const icp = await db(ctx).findOne(Icp, { where: { ...where, workspaceId: ctx.workspaceId } });
    if (!icp) throw new NotFoundError('ICP', idOrSlug, 'icp');
    return icp;
  }
}

export const icpService = new IcpService({
  entity: Icp,
  label: 'ICP',
  input: IcpInput,
  searchable: ['slug', 'name', 'description'],
  sortable: ['slug', 'name', 'status', 'createdAt', 'updatedAt'],
  defaultSort: { slug: 'ASC' },
  beforeWrite: async (_ctx, next) => {
    next.status ??= IcpStatus.DRAFT;
  },
});
