import { crudResolver } from '../../graphql/crud.resolver';
import { icpParentResolver } from '../shared/icp-child';
import { ExampleAccount } from './example-account.entity';
import { ExampleAccountFilter } from './example-account.inputs';
import { exampleAccountService } from './example-account.service';

export const ExampleAccountCrudResolver = crudResolver({
  type: ExampleAccount,
  plural: 'exampleAccounts',
  filter: ExampleAccountFilter,
  service: exampleAccountService,
});
export const ExampleAccountFieldsResolver = icpParentResolver(ExampleAccount);
