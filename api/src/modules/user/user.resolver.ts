import { crudResolver } from '../../graphql/crud.resolver';
import { AppUser } from './user.entity';
import { UserFilter } from './user.inputs';
import { userService } from './user.service';

export const UserCrudResolver = crudResolver({
  type: AppUser,
  plural: 'appUsers',
  filter: UserFilter,
  service: userService,
});
