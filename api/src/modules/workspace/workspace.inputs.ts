import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';

export const SLUG = {
  pattern: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  patternHint: 'must be lower-case letters, digits and single dashes, e.g. "ml-inference"',
};

/** The fields of a Workspace, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class WorkspaceInput {
  @In.text({ required: true, max: 64, ...SLUG }) slug: string;
  @In.text({ required: true, max: 200 }) name: string;
  @In.text() description?: string | null;
}

@InputType({ description: 'Conditions on Workspace records: a list returns those meeting every condition given.' })
export class WorkspaceFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in slug and name.' }) q?: string;
  @Field({ nullable: true, description: 'Only the one with this slug.' }) slug?: string;
}
