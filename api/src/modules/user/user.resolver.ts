import { crudResolver } from '../../graphql/crud.resolver';
import { AppUser } from './user.entity';
import { UserFilter, UserInput } from './user.inputs';
import { userService } from './user.service';

export const UserCrudResolver = crudResolver({
  type: AppUser,
  plural: 'appUsers',
  input: UserInput,
  filter: UserFilter,
  service: userService,
});
