import { Field, ID, InputType } from 'type-graphql';
import { InvitationStatus } from './invitation.entity';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

export const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternHint: 'must be an email address' };

/** The fields of a Invitation, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class InvitationInput {
  @In.text({ required: true, max: 254, ...EMAIL }) email: string;
  @In.enum(Role, ROLES, { required: true, description: 'The role in this workspace once accepted.' }) role: Role;
  @In.text({ max: 200 }) name?: string | null;
}

@InputType({ description: 'Conditions on Invitation records: a list returns those meeting every condition given.' })
export class InvitationFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in email.' }) q?: string;
  @Field(() => InvitationStatus, { nullable: true, description: 'Only those with this status.' })
  status?: InvitationStatus;
}
