import { Persona } from './persona.entity';
import { PersonaCrudResolver, PersonaFieldsResolver, PersonaIcpResolver } from './persona.resolver';

export { Persona, BuyingRole } from './persona.entity';
export { personaService } from './persona.service';
export const personaModule = {
  entities: [Persona],
  resolvers: [...PersonaCrudResolver, PersonaFieldsResolver, PersonaIcpResolver],
};
