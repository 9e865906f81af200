import { Membership } from './membership.entity';
import { MembershipCrudResolver, MembershipFieldsResolver } from './membership.resolver';

export { Membership } from './membership.entity';
export { membershipService } from './membership.service';
export const membershipModule = {
  entities: [Membership],
  resolvers: [...MembershipCrudResolver, MembershipFieldsResolver],
};
