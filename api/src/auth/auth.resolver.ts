import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Principal } from './principal';
import { db } from '../core/context';
import type { RequestContext } from '../core/context';
import { authService } from './auth.service';
import { Role } from './roles';

@ObjectType()
class Session {
  @Field({
    description:
      'API clients send it as "Authorization: Bearer <token>"; the console uses the HttpOnly icp_session cookie set with it.',
  })
  token: string;
  @Field(() => Int, { description: 'Seconds until it expires.' }) expiresIn: number;
}

@ObjectType({ description: 'A workspace the signed-in user belongs to.' })
class MyWorkspace {
  @Field(() => ID) id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field(() => Role, { description: 'The role in that workspace.' }) role: Role;
  @Field({ description: 'True for the workspace this request acts in.' }) current: boolean;
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
  @Mutation(() => Session, {
    description:
      "Signs in and sets the console's session cookie; attempts are limited per address, per account and address (with growing waits) and per account, and recorded.",
  })
  login(@Ctx() ctx: RequestContext, @Arg('email') email: string, @Arg('password') password: string) {
    return authService.login(ctx, ctx.auth!, email, password, ctx.clientAddress ?? 'unknown');
  }

  @Mutation(() => Boolean, { description: "Clears the console's session cookie." })
  logout(@Ctx() ctx: RequestContext): boolean {
    return authService.logout(ctx);
  }

  @Mutation(() => Session, {
    description: "Changes the signed-in user's password: ends their other sessions and returns a fresh one.",
  })
  changePassword(
    @Ctx() ctx: RequestContext,
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
  ) {
    return authService.changePassword(ctx, ctx.auth!, currentPassword, newPassword, ctx.clientAddress ?? 'unknown');
  }

  @Query(() => Me, {
    description: 'The signed-in user or API key, its role and workspace (choose another with the x-workspace header).',
  })
  me(@Ctx() ctx: RequestContext): Me {
    return ctx.principal!;
  }
}

@Resolver(() => Me)
export class MeResolver {
  @FieldResolver(() => [MyWorkspace], {
    description:
      'The workspaces this user belongs to, with the role in each (an API key: its own). Choose one with the x-workspace header.',
  })
  async workspaces(@Root() me: Principal, @Ctx() ctx: RequestContext): Promise<MyWorkspace[]> {
    if (me.kind !== 'user')
      return [{ id: me.workspaceId, slug: me.workspaceSlug, name: me.workspaceSlug, role: me.role, current: true }];
    // Row-level security shows only the current workspace: a SECURITY DEFINER look-up, for this user only.
    const rows: { workspace_id: string; slug: string; name: string; role: Role }[] = await db(ctx).query(
      'SELECT * FROM icp_user_workspaces($1)',
      [me.id],
    );
    return rows.map((r) => ({
      id: r.workspace_id,
      slug: r.slug,
      name: r.name,
      role: r.role,
      current: r.workspace_id === me.workspaceId,
    }));
  }
}
