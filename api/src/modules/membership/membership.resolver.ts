import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { AppUser } from '../user/user.entity';
import { Membership } from './membership.entity';
import { MembershipFilter, MembershipInput } from './membership.inputs';
import { membershipService } from './membership.service';

export const MembershipCrudResolver = crudResolver({
  type: Membership,
  plural: 'memberships',
  input: MembershipInput,
  filter: MembershipFilter,
  service: membershipService,
});

@Resolver(() => Membership)
export class MembershipFieldsResolver {
  @FieldResolver(() => AppUser)
  user(@Root() m: Membership, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(AppUser).load(m.userId);
  }
}
