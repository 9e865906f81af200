import { CrudService } from '../../core/crud.service';
import { AttributeDefinition } from './attribute.entity';
import { AttributeDefinitionInput } from './attribute.inputs';

export const attributeService = new CrudService<AttributeDefinition>({
  entity: AttributeDefinition,
  label: 'attribute definition',
  input: AttributeDefinitionInput,
  searchable: ['name', 'description'],
  sortable: ['name', 'type', 'createdAt', 'updatedAt'],
  defaultSort: { name: 'ASC' },
  // Expressions refer to attributes by name and were type-checked against their type:
  // renaming one, or changing its type, would silently break them.
  immutable: ['name', 'type'],
});
