import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { Role, ROLES } from '../../auth/roles';

/** The fields of a ApiKey, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class ApiKeyInput {
  @In.text({ required: true, max: 200 }) name: string;
  @In.enum(Role, ROLES, { required: true, description: 'Usually CLIENT.' }) role: Role;
}

@InputType({ description: 'Conditions on ApiKey records: a list returns those meeting every condition given.' })
export class ApiKeyFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name.' }) q?: string;
  @Field(() => Role, { nullable: true, description: 'Only those with this role.' }) role?: Role;
}
