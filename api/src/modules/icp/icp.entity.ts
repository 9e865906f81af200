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
  valuesConfig: {
    DRAFT: { description: 'Being written and validated; not used by sales yet.' },
    ACTIVE: { description: 'In use by sales.' },
    ARCHIVED: { description: 'No longer in use; kept for the record.' },
  },
});

@ObjectType({
  description: 'An Ideal Customer Profile: who the ideal customer is, how to recognise, rank and approach them.',
})
@Entity()
@Index(['workspaceId', 'slug'], { unique: true })
export class Icp extends TenantRecord {
  @Prop.text({
    description: 'Its short name in URLs, files and the fit-score API (icp: "ml-inference"); unique in the workspace.',
  })
  slug: string;
  @Prop.text({ description: 'Its display name, e.g. "ML inference platforms".' }) name: string;
  @Prop.enum(IcpStatus, {
    description: 'Where it is in its life: DRAFT, ACTIVE or ARCHIVED (publishing a version is separate).',
  })
  status: IcpStatus;
  @Prop.text({ nullable: true, description: 'What the ICP is about, in a few sentences.' }) description: string | null;
  @Prop.text({ nullable: true, description: 'The broad target audience, as distinct from the ICP (seed 001).' })
  targetAudience: string | null;
  @Prop.items(() => LabeledValue, { description: 'Firmographic profile: size, industry, stage, geography, maturity…' })
  profile: LabeledValue[];
  @Prop.textList({ description: 'Characteristics every ideal customer shares.' }) characteristics: string[];
  @Prop.textList({ description: 'Why such customers buy, one proposition per item.' }) valuePropositions: string[];
  @Prop.textList({ description: 'The problems that make them look for a solution, most important first.' })
  primaryPains: string[];
  @Prop.textList({ description: 'Problems they also have, that strengthen the case but do not start it.' })
  secondaryPains: string[];
  @Prop.items(() => Criterion, {
    description: 'Criteria an account must meet to be in the ICP; each may carry a CEL expression.',
  })
  mustHave: Criterion[];
  @Prop.items(() => Criterion, { description: 'Criteria that make an account a better fit without being required.' })
  niceToHave: Criterion[];
  @Prop.items(() => Question, { description: 'Questions a rep asks to confirm the fit in a first call.' })
  validationQuestions: Question[];
  @Prop.items(() => ChecklistItem, { description: 'What to check about an account before contacting it.' })
  researchChecklist: ChecklistItem[];
  @Prop.textList({ description: 'Companies that fit, by name, as the source lists them.' }) exampleCompanies: string[];
  @Prop.textList({ description: 'The steps of a typical purchase, in order.' }) buyingProcess: string[];
  @Prop.text({ nullable: true, description: 'How long a purchase typically takes, e.g. "3-6 months".' })
  decisionTimeline: string | null;
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
