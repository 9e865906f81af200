import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { icpParentResolver } from '../shared/icp-child';
import { Tier } from '../tier/tier.entity';
import { Persona } from './persona.entity';
import { PersonaFilter, PersonaInput } from './persona.inputs';
import { personaService } from './persona.service';

export const PersonaCrudResolver = crudResolver({
  type: Persona,
  plural: 'personas',
  input: PersonaInput,
  filter: PersonaFilter,
  service: personaService,
});

@Resolver(() => Persona)
export class PersonaFieldsResolver {
  @FieldResolver(() => Tier, { nullable: true })
  tier(@Root() p: Persona, @Ctx() ctx: RequestContext) {
    return p.tierId ? ctx.loaders.byId(Tier).load(p.tierId) : null;
  }
}

export const PersonaIcpResolver = icpParentResolver(Persona);
