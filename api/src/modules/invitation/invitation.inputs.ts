import { InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

export const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternHint: 'must be an email address' };

@InputType()
export class InvitationInput {
  @In.text({ required: true, max: 254, ...EMAIL }) email: string;
  @In.enum(Role, ROLES, { required: true, description: 'The role in this workspace once accepted.' }) role: Role;
  @In.text({ max: 200 }) name?: string | null;
}
