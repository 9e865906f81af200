import { crudResolver } from '../../graphql/crud.resolver';
import { AttributeDefinition } from './attribute.entity';
import { AttributeDefinitionFilter } from './attribute.inputs';
import { attributeService } from './attribute.service';

export const AttributeCrudResolver = crudResolver({
  type: AttributeDefinition,
  plural: 'attributeDefinitions',
  filter: AttributeDefinitionFilter,
  service: attributeService,
});
