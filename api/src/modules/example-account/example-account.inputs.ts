import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { ProvenanceField, ProvenanceInput } from '../shared/shared.types';

/** The fields of a ExampleAccount, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class ExampleAccountInput {
  @In.id({ required: true }) icpId: string;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.text({ max: 2000 }) description?: string | null;
  @In.json() attributes?: Record<string, unknown>;
  @In.text({ max: 200 }) expectedTier?: string | null;
  @In.bool() expectedDisqualified?: boolean | null;
  @In.text({ max: 200 }) expectedBand?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on ExampleAccount records: a list returns those meeting every condition given.' })
export class ExampleAccountFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description.' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
}
