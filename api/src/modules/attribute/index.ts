import { AttributeDefinition } from './attribute.entity';
import { AttributeCrudResolver } from './attribute.resolver';

export { AttributeDefinition, AttributeType } from './attribute.entity';
export { attributeService } from './attribute.service';
export const attributeModule = { entities: [AttributeDefinition], resolvers: [...AttributeCrudResolver] };
