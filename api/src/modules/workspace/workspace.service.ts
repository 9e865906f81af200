import { CrudService } from '../../core/crud.service';
import { Workspace } from './workspace.entity';
import { WorkspaceInput } from './workspace.inputs';

export const workspaceService = new CrudService<Workspace>({
  entity: Workspace,
  label: 'workspace',
  input: WorkspaceInput,
  searchable: ['slug', 'name'],
  sortable: ['slug', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { slug: 'ASC' },
});
