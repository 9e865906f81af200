import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import type { Principal } from './principal';
import { db } from '../core/context';
import type { RequestContext } from '../core/context';
import { authService } from './auth.service';
import { Role } from './roles';

/** Who a request can act as; the values are those `Principal.kind` holds. */
const PrincipalKind = { user: 'user', apiKey: 'apiKey' } as const;
registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'Who a request acts as.',
  valuesConfig: {
    user: { description: 'A person, signed in with a session token or cookie.' },
    apiKey: { description: 'A client tool, with an API key.' },
  },
});

@ObjectType({ description: 'A signed-in session: its token and how long it lasts.' })
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
  @Field(() => ID, {
    description:
      "This principal's membership of the workspace, `<principal id>:<workspace id>`: unique per principal and workspace, so a client cache keeps one entry per pair.",
  })
  id: string;
  @Field(() => ID, { description: "The workspace's id." }) workspaceId: string;
  @Field({ description: 'Its slug: send it as the x-workspace header to act in it.' }) slug: string;
  @Field({ description: 'Its display name.' }) name: string;
  @Field(() => Role, { description: 'The role in that workspace.' }) role: Role;
}

@ObjectType({ description: 'Who the request acts as.' })
class Me {
  @Field(() => PrincipalKind, { description: 'A signed-in user or an API key.' }) kind: string;
  @Field(() => ID, {
    description:
      'This principal acting in this workspace, `<principal id>:<workspace id>`: what it answers (role, workspace) depends on both, so a client cache keeps one entry per pair. The user or key itself: principalId.',
  })
  id: string;
  @Field(() => ID, { description: "The user's id, or the API key's." }) principalId: string;
  @Field({ description: "How the history names them: the email, or the key's name." }) label: string;
  @Field(() => Role, { description: 'Their role in the workspace this request acts in.' }) role: Role;
  @Field(() => ID, { description: 'The workspace this request acts in.' }) workspaceId: string;
  @Field({ description: "That workspace's slug." }) workspaceSlug: string;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => Session, {
    description:
      "Signs in and sets the console's session cookie; attempts are limited per address, per account and address (with growing waits) and per account, and recorded.",
  })
  login(
    @Ctx() ctx: RequestContext,
    @Arg('email', { description: 'The email signed up with, any case.' }) email: string,
    @Arg('password', { description: 'The password.' }) password: string,
  ) {
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
    @Arg('currentPassword', { description: 'The password now, to prove it is them.' }) currentPassword: string,
    @Arg('newPassword', { description: 'The new password: 12 characters or more.' }) newPassword: string,
  ) {
    return authService.changePassword(ctx, ctx.auth!, currentPassword, newPassword, ctx.clientAddress ?? 'unknown');
  }

  @Query(() => Me, {
    description: 'The signed-in user or API key, its role and workspace (choose another with the x-workspace header).',
  })
  me(@Ctx() ctx: RequestContext): Me & { principal: Principal } {
    const p = ctx.principal!;
    return { ...p, id: `${p.id}:${p.workspaceId}`, principalId: p.id, principal: p };
  }
}

@Resolver(() => Me)
export class MeResolver {
  @FieldResolver(() => [MyWorkspace], {
    description:
      'The workspaces this user belongs to, with the role in each (an API key: its own). Choose one with the x-workspace header.',
  })
  async workspaces(@Root() root: { principal: Principal }, @Ctx() ctx: RequestContext): Promise<MyWorkspace[]> {
    const me = root.principal;
    const membership = (workspaceId: string) => ({ id: `${me.id}:${workspaceId}`, workspaceId });
    if (me.kind !== 'user')
      return [{ ...membership(me.workspaceId), slug: me.workspaceSlug, name: me.workspaceSlug, role: me.role }];
    // Row-level security shows only the current workspace: a SECURITY DEFINER look-up, for this user only.
    const rows: { workspace_id: string; slug: string; name: string; role: Role }[] = await db(ctx).query(
      'SELECT * FROM icp_user_workspaces($1)',
      [me.id],
    );
    return rows.map((r) => ({
      ...membership(r.workspace_id),
      slug: r.slug,
      name: r.name,
      role: r.role,
    }));
  }
}
