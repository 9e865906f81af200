import { AuthResolver, MeResolver } from './auth.resolver';
import { PermissionsResolver } from './permissions.resolver';

export const authModule = { entities: [] as Function[], resolvers: [AuthResolver, MeResolver, PermissionsResolver] };
