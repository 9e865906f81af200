import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { icpParentResolver } from '../shared/icp-child';
import { Tier } from '../tier/tier.entity';
import { BuyingRole, Persona } from './persona.entity';
import { PersonaFilter } from './persona.inputs';
import { personaService } from './persona.service';

export const PersonaCrudResolver = crudResolver({
  type: Persona,
  plural: 'personas',
  filter: PersonaFilter,
  service: personaService,
});

@Resolver(() => Persona)
export class PersonaFieldsResolver {
  @FieldResolver(() => Tier, { nullable: true, description: 'The tier or segment it belongs to; null: the whole ICP.' })
  tier(@Root() p: Persona, @Ctx() ctx: RequestContext) {
    return p.tierId ? ctx.loaders.byId(Tier).load(p.tierId) : null;
  }

  // Versions published before personas held several roles store `buyingRole`; their scores still list it.
  @FieldResolver(() => [BuyingRole])
  buyingRoles(@Root() p: Persona & { buyingRole?: BuyingRole }): BuyingRole[] {
    return p.buyingRoles?.length ? p.buyingRoles : [p.buyingRole ?? BuyingRole.OTHER];
  }

  // Kept readable for clients written before a persona could hold several roles.
  @FieldResolver(() => BuyingRole, {
    deprecationReason: 'Use buyingRoles: a persona may hold several.',
    description: 'Its first buying role.',
  })
  buyingRole(@Root() p: Persona): BuyingRole {
    return this.buyingRoles(p)[0];
  }
}

export const PersonaIcpResolver = icpParentResolver(Persona);
