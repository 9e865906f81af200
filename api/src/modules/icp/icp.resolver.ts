import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { Icp } from './icp.entity';
import { IcpFilter } from './icp.inputs';
import { icpService } from './icp.service';
import { ICP_PARTS, IcpPart } from './icp-parts';

export const IcpCrudResolver = crudResolver({
  type: Icp,
  plural: 'icps',
  filter: IcpFilter,
  service: icpService,
});

@Resolver(() => Icp)
export class IcpFieldsResolver {
  @Query(() => Icp, { description: 'One ICP by id or slug.' })
  icpBySlug(
    @Ctx() ctx: RequestContext,
    @Arg('idOrSlug', { description: 'The id or the slug of the ICP.' }) idOrSlug: string,
  ): Promise<Icp> {
    return icpService.byIdOrSlug(ctx, idOrSlug);
  }
}

/** The ICP's field listing one of its parts (`tiers`, `bands`…), through the request's loader. */
export function icpPartResolver(part: IcpPart): Function {
  const { entity, order, description } = part;
  const field = part.field ?? part.key;
  class IcpPartResolver {}
  Object.defineProperty(IcpPartResolver, 'name', { value: `Icp${entity.name}sResolver` });
  // type-graphql matches a field resolver to its field by method name: the method is named as the field.
  const proto = IcpPartResolver.prototype as Record<string, unknown>;
  proto[field] = (icp: Icp, ctx: RequestContext) => ctx.loaders.children(entity, 'icpId', order).load(icp.id);
  Root()(proto, field, 0);
  Ctx()(proto, field, 1);
  FieldResolver(() => [entity], { description: description ?? `Its ${entity.name} records, in list order.` })(
    proto,
    field,
    Object.getOwnPropertyDescriptor(proto, field)!,
  );
  Resolver(() => Icp)(IcpPartResolver);
  return IcpPartResolver;
}

export const IcpPartResolvers = ICP_PARTS.map(icpPartResolver);
