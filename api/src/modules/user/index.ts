import { AppUser } from './user.entity';
import { UserCrudResolver } from './user.resolver';

export { AppUser } from './user.entity';
export { userService } from './user.service';
export const userModule = { entities: [AppUser], resolvers: [...UserCrudResolver] };
