import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { LabeledValueInput, ProvenanceField, ProvenanceInput } from '../shared/shared.types';
import { TierKind } from './tier.entity';

/** The fields of a Tier, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class TierInput {
  @In.id({ required: true }) icpId: string;
  @In.int({ required: true, min: 1, max: 100 }) rank: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.enum(TierKind, Object.values(TierKind)) kind?: TierKind;
  @In.float({ min: 0, max: 1 }) focusShare?: number | null;
  @In.text({ max: 4000 }) criteria?: string | null;
  @In.text() description?: string | null;
  @In.items(() => LabeledValueInput, { maxItems: 50 }) profile?: LabeledValueInput[];
  @In.textList({ maxItems: 100 }) characteristics?: string[];
  @In.textList({ maxItems: 100 }) valuePropositions?: string[];
  @In.textList({ maxItems: 100 }) examples?: string[];
  @In.textList({ maxItems: 100 }) whyTheyBuy?: string[];
  @In.text({ max: 500 }) action?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on Tier records: a list returns those meeting every condition given.' })
export class TierFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description.' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
  @Field(() => TierKind, { nullable: true, description: 'Only those of this kind.' }) kind?: TierKind;
}
