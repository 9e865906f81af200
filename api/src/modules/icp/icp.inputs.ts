import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import {
  ChecklistItemInput,
  CriterionInput,
  LabeledValueInput,
  ProvenanceField,
  ProvenanceInput,
  QuestionInput,
} from '../shared/shared.types';
import { SLUG } from '../workspace/workspace.inputs';
import { IcpStatus } from './icp.entity';

/** The fields of a Icp, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class IcpInput {
  @In.text({ required: true, max: 64, ...SLUG }) slug: string;
  @In.text({ required: true, max: 200 }) name: string;
  @In.enum(IcpStatus, Object.values(IcpStatus)) status?: IcpStatus;
  @In.text() description?: string | null;
  @In.text() targetAudience?: string | null;
  @In.items(() => LabeledValueInput, { maxItems: 100 }) profile?: LabeledValueInput[];
  @In.textList({ maxItems: 100 }) characteristics?: string[];
  @In.textList({ maxItems: 100 }) valuePropositions?: string[];
  @In.textList({ maxItems: 100 }) primaryPains?: string[];
  @In.textList({ maxItems: 100 }) secondaryPains?: string[];
  @In.items(() => CriterionInput, { maxItems: 100 }) mustHave?: CriterionInput[];
  @In.items(() => CriterionInput, { maxItems: 100 }) niceToHave?: CriterionInput[];
  @In.items(() => QuestionInput, { maxItems: 200 }) validationQuestions?: QuestionInput[];
  @In.items(() => ChecklistItemInput, { maxItems: 200 }) researchChecklist?: ChecklistItemInput[];
  @In.textList({ maxItems: 200 }) exampleCompanies?: string[];
  @In.textList({ maxItems: 50 }) buyingProcess?: string[];
  @In.text({ max: 500 }) decisionTimeline?: string | null;
  @In.text({ max: 500 }) budget?: string | null;
  @In.textList({ maxItems: 100 }) currentTools?: string[];
  @In.items(() => LabeledValueInput, { maxItems: 100 }) channels?: LabeledValueInput[];
  @In.items(() => LabeledValueInput, { maxItems: 100 }) crmFields?: LabeledValueInput[];
  @In.textList({ maxItems: 100 }) notes?: string[];
  @In.textList({ maxItems: 100 }) competitors?: string[];
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on Icp records: a list returns those meeting every condition given.' })
export class IcpFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in slug, name and description.' }) q?: string;
  @Field({ nullable: true, description: 'Only the one with this slug.' }) slug?: string;
  @Field(() => IcpStatus, { nullable: true, description: 'Only those with this status.' }) status?: IcpStatus;
}
