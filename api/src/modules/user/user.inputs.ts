import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternHint: 'must be an email address' };

/** The fields of a User, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class UserInput {
  @In.text({ required: true, max: 254, ...EMAIL }) email: string;
  @In.text({ max: 200 }) name?: string | null;
  @In.text({ max: 200, pattern: /^.{12,}$/s, patternHint: 'must be at least 12 characters' }) password?: string;
  @In.enum(Role, ROLES, { description: 'On creation: the role in the current workspace (default CLIENT).' })
  role?: Role;
}

@InputType({ description: 'Conditions on User records: a list returns those meeting every condition given.' })
export class UserFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in email and name.' }) q?: string;
  @Field({ nullable: true, description: 'Only the one with this email (any case).' }) email?: string;
}
