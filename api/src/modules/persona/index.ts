import { Persona } from './persona.entity';
import { PersonaCrudResolver, PersonaFieldsResolver, PersonaIcpResolver } from './persona.resolver';
import { personaService } from './persona.service';

export { Persona, BuyingRole } from './persona.entity';
export { personaService } from './persona.service';
export const personaModule = {
  entities: [Persona],
  services: [personaService],
  resolvers: [...PersonaCrudResolver, PersonaFieldsResolver, PersonaIcpResolver],
};
