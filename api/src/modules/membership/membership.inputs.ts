import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

/** The fields of a Membership, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class MembershipInput {
  @In.id({ required: true }) userId: string;
  @In.enum(Role, ROLES, { required: true }) role: Role;
}

@InputType()
export class MembershipFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[];
  @Field(() => ID, { nullable: true }) userId?: string;
  @Field(() => Role, { nullable: true }) role?: Role;
}
