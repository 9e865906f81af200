import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

/** The fields of a Membership, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class MembershipInput {
  @In.id({ required: true }) userId: string;
  @In.enum(Role, ROLES, { required: true }) role: Role;
}

@InputType({ description: 'Conditions on Membership records: a list returns those meeting every condition given.' })
export class MembershipFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field(() => ID, { nullable: true, description: 'Only the memberships of this user.' }) userId?: string;
  @Field(() => Role, { nullable: true, description: 'Only those with this role.' }) role?: Role;
}
