import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { authService } from './auth.service';
import { Role } from './roles';

@ObjectType()
class Session {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' }) token: string;
  @Field(() => Int, { description: 'Seconds until it expires.' }) expiresIn: number;
}

@ObjectType({ description: 'Who the request acts as.' })
class Me {
  @Field() kind: string;
  @Field(() => ID) id: string;
  @Field() label: string;
  @Field(() => Role) role: Role;
  @Field(() => ID) workspaceId: string;
  @Field() workspaceSlug: string;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => Session, { description: 'Signs in; attempts are limited per account and per address, and recorded.' })
  login(@Ctx() ctx: RequestContext, @Arg('email') email: string, @Arg('password') password: string) {
    return authService.login(ctx, ctx.auth!, email, password, ctx.clientAddress ?? 'unknown');
  }

  @Query(() => Me, { description: 'The signed-in user or API key, its role and workspace (choose another with the x-workspace header).' })
  me(@Ctx() ctx: RequestContext): Me {
    return ctx.principal!;
  }
}
