import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { ProvenanceField, ProvenanceInput } from '../shared/shared.types';

/** The fields of a ScoringDimension, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class ScoringDimensionInput {
  @In.id({ required: true }) icpId: string;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.float({ required: true, min: 0, max: 1_000_000 }) max: number;
  @In.text() description?: string | null;
  @In.textList({ maxItems: 100 }) factors?: string[];
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

/** The fields of a ScoringRule, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class ScoringRuleInput {
  @In.id({ required: true }) dimensionId: string;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.text({ max: 4000 }) condition?: string;
  @In.text({ required: true, max: 4000 }) points: string;
  @In.text() description?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

/** The fields of a ActionBand, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class ActionBandInput {
  @In.id({ required: true }) icpId: string;
  @In.text({ required: true, max: 200 }) name: string;
  @In.float({ required: true, min: -1_000_000, max: 1_000_000 }) minScore: number;
  @In.text({ required: true, max: 2000 }) action: string;
  @In.text() description?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({
  description: 'Conditions on ScoringDimension records: a list returns those meeting every condition given.',
})
export class ScoringDimensionFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description (any case, part of a word).' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
}

@InputType({ description: 'Conditions on ScoringRule records: a list returns those meeting every condition given.' })
export class ScoringRuleFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description (any case, part of a word).' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
  @Field(() => ID, { nullable: true, description: 'Only the rules of this dimension.' }) dimensionId?: string;
}

@InputType({ description: 'Conditions on ActionBand records: a list returns those meeting every condition given.' })
export class ActionBandFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description (any case, part of a word).' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
}
