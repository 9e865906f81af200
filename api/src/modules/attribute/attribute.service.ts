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
  // Expressions refer to attributes by name: renaming one would silently break them.
  immutable: ['name'],
});
