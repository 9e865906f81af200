import { Entity, Index } from 'typeorm';
import { ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { ChecklistItem, Criterion, LabeledValue, Provenance, ProvenanceField, Question } from '../shared/shared.types';

export enum IcpStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(IcpStatus, {
  name: 'IcpStatus',
  description: 'DRAFT: being validated; ACTIVE: in use by sales; ARCHIVED: kept for the record.',
});

@ObjectType({
  description: 'An Ideal Customer Profile: who the ideal customer is, how to recognise, rank and approach them.',
})
@Entity()
@Index(['workspaceId', 'slug'], { unique: true })
export class Icp extends TenantRecord {
  @Prop.text() slug: string;
  @Prop.text() name: string;
  @Prop.enum(IcpStatus) status: IcpStatus;
  @Prop.text({ nullable: true }) description: string | null;
  @Prop.text({ nullable: true, description: 'The broad target audience, as distinct from the ICP (seed 001).' })
  targetAudience: string | null;
  @Prop.items(() => LabeledValue, { description: 'Firmographic profile: size, industry, stage, geography, maturity…' })
  profile: LabeledValue[];
  @Prop.textList({ description: 'Characteristics every ideal customer shares.' }) characteristics: string[];
  @Prop.textList() valuePropositions: string[];
  @Prop.textList() primaryPains: string[];
  @Prop.textList() secondaryPains: string[];
  @Prop.items(() => Criterion) mustHave: Criterion[];
  @Prop.items(() => Criterion) niceToHave: Criterion[];
  @Prop.items(() => Question) validationQuestions: Question[];
  @Prop.items(() => ChecklistItem) researchChecklist: ChecklistItem[];
  @Prop.textList() exampleCompanies: string[];
  @Prop.textList({ description: 'The steps of a typical purchase, in order.' }) buyingProcess: string[];
  @Prop.text({ nullable: true }) decisionTimeline: string | null;
  @Prop.text({ nullable: true, description: 'What such a customer can spend on this category.' }) budget: string | null;
  @Prop.textList({ description: 'Tools such customers typically use today.' }) currentTools: string[];
  @Prop.items(() => LabeledValue, { description: 'Where to find them: communities, events, content.' })
  channels: LabeledValue[];
  @Prop.items(() => LabeledValue, {
    description: 'CRM fields that carry this ICP (e.g. Salesforce "Target Account Tier").',
  })
  crmFields: LabeledValue[];
  @Prop.textList({ description: 'Anything else the source document states: next steps, prompts, reminders.' })
  notes: string[];
  @Prop.textList({ description: 'Competitors and alternatives the ICP is weighed against, e.g. "AWS SageMaker".' })
  competitors: string[];
  @ProvenanceField.stored() provenance: Provenance | null;
}
