import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { ProvenanceField, ProvenanceInput } from '../shared/shared.types';
import { PatternKind } from './use-case-pattern.entity';

const list = { maxItems: 100 };

/** The fields of a UseCasePattern, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class UseCasePatternInput {
  @In.id({ required: true }) icpId: string;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.enum(PatternKind, Object.values(PatternKind)) kind?: PatternKind;
  @In.text({ max: 200 }) industry?: string | null;
  @In.textList(list) industries?: string[];
  @In.text() description?: string | null;
  @In.textList(list) painPoints?: string[];
  @In.textList(list) useCases?: string[];
  @In.textList(list) keyMetrics?: string[];
  @In.textList(list) competitors?: string[];
  @In.textList(list) characteristics?: string[];
  @In.textList(list) examples?: string[];
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on UseCasePattern records: a list returns those meeting every condition given.' })
export class UseCasePatternFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name, industry and description.' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
  @Field(() => PatternKind, { nullable: true, description: 'Only those of this kind.' }) kind?: PatternKind;
}
