import { CrudService } from '../../core/crud.service';
import { ValidationError } from '../../core/errors';
import { icpChild } from '../shared/icp-child';
import { ExampleAccount } from './example-account.entity';
import { ExampleAccountInput } from './example-account.inputs';

export const exampleAccountService = new CrudService<ExampleAccount>({
  ...icpChild<ExampleAccount>(),
  entity: ExampleAccount,
  label: 'example account',
  input: ExampleAccountInput,
  searchable: ['name', 'description'],
  sortable: ['position', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  beforeWrite: async (_ctx, next) => {
    next.attributes ??= {};
    const a = next.attributes;
    if (typeof a !== 'object' || a === null || Array.isArray(a))
      throw ValidationError.one('input.attributes', 'must be an object of attribute values');
  },
});
