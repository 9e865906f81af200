import { ExampleAccount } from './example-account.entity';
import { ExampleAccountCrudResolver, ExampleAccountFieldsResolver } from './example-account.resolver';
import { exampleAccountService } from './example-account.service';

export { ExampleAccount } from './example-account.entity';
export { exampleAccountService } from './example-account.service';
export const exampleAccountModule = {
  entities: [ExampleAccount],
  services: [exampleAccountService],
  resolvers: [...ExampleAccountCrudResolver, ExampleAccountFieldsResolver],
};
