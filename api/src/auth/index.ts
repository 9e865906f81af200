import { AuthResolver, MeResolver } from './auth.resolver';

export const authModule = { entities: [] as Function[], resolvers: [AuthResolver, MeResolver] };
