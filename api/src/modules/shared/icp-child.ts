import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import type { EntityConfig } from '../../core/crud.service';
import { Icp } from '../icp/icp.entity';

/** What every part of an ICP shares: it names its ICP, never moves to another, and keeps its place in the list. */
export function icpChild<E>(): Pick<EntityConfig<E>, 'references' | 'immutable' | 'positionScope'> {
  return {
    references: [{ field: 'icpId', entity: Icp, label: 'ICP' }],
    immutable: ['icpId' as keyof E & string],
    positionScope: 'icpId' as keyof E & string,
  };
}

/** The `icp` field of a part of an ICP, through the request's loader. */
export function icpParentResolver<T extends { icpId: string }>(type: new () => T) {
  @Resolver(() => type)
  class IcpParentResolver {
    @FieldResolver(() => Icp, { description: 'The ICP it belongs to.' })
    icp(@Root() part: T, @Ctx() ctx: RequestContext) {
      return ctx.loaders.byId(Icp).load(part.icpId);
    }
  }
  Object.defineProperty(IcpParentResolver, 'name', { value: `${type.name}IcpResolver` });
  return IcpParentResolver;
}
