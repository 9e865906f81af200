import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { permissionsOf } from './policy';
import { Role } from './roles';

@ObjectType({ description: 'What one role may do with the records of one type (the access table in auth/policy.ts).' })
export class EntityPermission {
  @Field({ description: 'The GraphQL type, e.g. "Tier".' }) type: string;
  @Field({ description: 'May list and read them.' }) read: boolean;
  @Field({ description: 'May change them (through any verb, generic ones included).' }) write: boolean;
}

@ObjectType({ description: "What the signed-in user or API key may do, from the server's own policy." })
export class MyPermissions {
  @Field(() => Role, { description: 'Their role in the workspace this request acts in.' }) role: Role;
  @Field(() => [EntityPermission], { description: 'For each record type: may they read it, may they change it.' })
  entities: EntityPermission[];
  @Field(() => [String], { description: 'Every query and mutation this principal may use, by name.' })
  operations: string[];
}

@Resolver()
export class PermissionsResolver {
  @Query(() => MyPermissions, {
    description: 'What the signed-in user or key may do here; the console shows only that (the server still decides).',
  })
  myPermissions(@Ctx() ctx: RequestContext): MyPermissions {
    // The policy admits only signed-in principals to this field.
    return permissionsOf(ctx.principal!.role);
  }
}
