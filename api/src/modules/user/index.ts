import { AppUser } from './user.entity';
import { UserCrudResolver } from './user.resolver';
import { userService } from './user.service';

export { AppUser } from './user.entity';
export { userService } from './user.service';
export const userModule = { entities: [AppUser], services: [userService], resolvers: [...UserCrudResolver] };
