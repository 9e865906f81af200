import { AttributeDefinition } from './attribute.entity';
import { AttributeCrudResolver } from './attribute.resolver';
import { attributeService } from './attribute.service';

export { AttributeDefinition, AttributeType } from './attribute.entity';
export { attributeService } from './attribute.service';
export const attributeModule = {
  entities: [AttributeDefinition],
  services: [attributeService],
  resolvers: [...AttributeCrudResolver],
};
