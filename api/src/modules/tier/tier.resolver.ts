import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { icpParentResolver } from '../shared/icp-child';
import { Persona } from '../persona/persona.entity';
import { Tier } from './tier.entity';
import { TierFilter } from './tier.inputs';
import { tierService } from './tier.service';

export const TierCrudResolver = crudResolver({
  type: Tier,
  plural: 'tiers',
  filter: TierFilter,
  service: tierService,
});

@Resolver(() => Tier)
export class TierFieldsResolver {
  @FieldResolver(() => [Persona], { description: 'Personas specific to this tier or segment.' })
  personas(@Root() tier: Tier, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(Persona, 'tierId').load(tier.id);
  }
}

export const TierIcpResolver = icpParentResolver(Tier);
