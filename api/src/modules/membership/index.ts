import { Membership } from './membership.entity';
import { MembershipCrudResolver, MembershipFieldsResolver, UserRoleResolver } from './membership.resolver';
import { membershipService } from './membership.service';

export { Membership } from './membership.entity';
export { membershipService } from './membership.service';
export const membershipModule = {
  entities: [Membership],
  services: [membershipService],
  resolvers: [...MembershipCrudResolver, MembershipFieldsResolver, UserRoleResolver],
};
