import { CrudService } from '../../core/crud.service';
import type { RequestContext } from '../../core/context';
import type { IcpPart } from './icp-parts';

/** The service of an ICP part, from the request's registry; an error naming the part when its module is not registered. */
export function partService(ctx: RequestContext, part: IcpPart): CrudService<{ id: string; revision: number }> {
  const service = ctx.registry.find(part.entity.name);
  if (!(service instanceof CrudService))
    throw new Error(`no service for the ICP part ${part.entity.name}: is its module in api/src/modules.ts?`);
  return service;
}
