import { CrudService } from '../../core/crud.service';
import { assertExpressions } from '../../fit-score/expressions';
import { announceIcpChange } from '../../cache/announce';
import { db, type RequestContext } from '../../core/context';
import { ConflictError, NotFoundError } from '../../core/errors';
import { IcpVersion } from '../../versioning/icp-version.entity';
import { isUuid } from '../../core/inputs';
import { Icp, IcpStatus } from './icp.entity';
import { IcpInput } from './icp.inputs';
import { ICP_PARTS } from './icp-parts';
import { partService } from './part-services';

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
  // An ICP's revisions belong to the ICP itself, as its parts' do.
  icpOf: (icp) => icp.id,
  beforeWrite: async (ctx, next, existing) => {
    next.status ??= IcpStatus.DRAFT;
    if (existing && existing.slug !== next.slug) await announceIcpChange(ctx, existing.id);
    const criteria = (key: 'mustHave' | 'niceToHave') =>
      ((next[key] as { expression?: string | null }[] | undefined) ?? []).map((c, i) => ({
        path: `input.${key}[${i}].expression`,
        expression: c.expression,
        expect: 'bool' as const,
      }));
    await assertExpressions(ctx, [...criteria('mustHave'), ...criteria('niceToHave')]);
  },
  // Client tools score against published versions: those must stay reproducible.
  beforeDelete: async (ctx, icp) => {
    const published = await db(ctx).count(IcpVersion, { where: { icpId: icp.id } });
    if (published)
      throw new ConflictError(
        `ICP "${icp.slug}" has ${published} published version(s) and cannot be deleted; set its status to ARCHIVED instead`,
        { id: icp.id },
      );
    await announceIcpChange(ctx, icp.id);
  },
  // Every part, children before parents (rules before dimensions, personas before tiers), each with its revision.
  dependents: (ctx) =>
    [...ICP_PARTS]
      .reverse()
      .map((part) => ({ service: partService(ctx, part), field: 'icpId', onDelete: 'delete' as const })),
});
