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

@InputType()
export class ScoringDimensionFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[];
  @Field({ nullable: true }) q?: string;
  @Field(() => ID, { nullable: true }) icpId?: string;
}

@InputType()
export class ScoringRuleFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[];
  @Field({ nullable: true }) q?: string;
  @Field(() => ID, { nullable: true }) icpId?: string;
  @Field(() => ID, { nullable: true }) dimensionId?: string;
}

@InputType()
export class ActionBandFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[];
  @Field({ nullable: true }) q?: string;
  @Field(() => ID, { nullable: true }) icpId?: string;
}
