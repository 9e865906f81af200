import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { Role } from '../../auth/roles';
import { AppUser } from '../user/user.entity';
import { Membership } from './membership.entity';
import { MembershipFilter } from './membership.inputs';
import { membershipService } from './membership.service';

export const MembershipCrudResolver = crudResolver({
  type: Membership,
  plural: 'memberships',
  filter: MembershipFilter,
  service: membershipService,
});

@Resolver(() => Membership)
export class MembershipFieldsResolver {
  @FieldResolver(() => AppUser, { description: 'The member.' })
  user(@Root() m: Membership, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(AppUser).load(m.userId);
  }
}

/** A user's role here: users are global, their role is their membership of the current workspace. */
@Resolver(() => AppUser)
export class UserRoleResolver {
  @FieldResolver(() => Role, {
    nullable: true,
    description: 'Their role in the current workspace (null when they are not a member of it).',
  })
  async role(@Root() user: AppUser, @Ctx() ctx: RequestContext): Promise<Role | null> {
    const [membership] = await ctx.loaders.children(Membership, 'userId', { createdAt: 'ASC' }).load(user.id);
    return membership?.role ?? null;
  }
}
