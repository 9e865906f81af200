import { CrudService } from '../../core/crud.service';
import type { IcpPart } from './icp-parts';

type Service = CrudService<{ id: string; revision: number }>;

/** The service of an ICP part; an error naming the part when its module is not registered. */
export function partService(part: IcpPart): Service {
  const service = CrudService.byType.get(part.entity.name);
  if (!service)
    throw new Error(`no service for the ICP part ${part.entity.name}: is its module in api/src/modules.ts?`);
  return service;
}
