import { Entity, Index, Unique } from 'typeorm';
import { ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Provenance, ProvenanceField } from '../shared/shared.types';

export enum BuyingRole {
  ECONOMIC_BUYER = 'ECONOMIC_BUYER',
  DECISION_MAKER = 'DECISION_MAKER',
  CHAMPION = 'CHAMPION',
  FUNCTIONAL_BUYER = 'FUNCTIONAL_BUYER',
  TECHNICAL_BUYER = 'TECHNICAL_BUYER',
  INFLUENCER = 'INFLUENCER',
  USER = 'USER',
  BLOCKER = 'BLOCKER',
  EXPANSION = 'EXPANSION',
  OTHER = 'OTHER',
}
registerEnumType(BuyingRole, {
  name: 'BuyingRole',
  description: 'The part a persona plays in the purchase.',
  valuesConfig: {
    ECONOMIC_BUYER: { description: 'Owns the budget and gives the final yes.' },
    DECISION_MAKER: { description: 'Chooses among the options.' },
    CHAMPION: { description: 'Sells the purchase inside the company.' },
    FUNCTIONAL_BUYER: { description: 'Judges whether it does the job for the team that will use it.' },
    TECHNICAL_BUYER: { description: 'Judges technical fit: security, integration, architecture.' },
    INFLUENCER: { description: 'Sways the decision without owning it.' },
    USER: { description: 'Uses the product day to day.' },
    BLOCKER: { description: 'May stop the purchase (procurement, legal, a competing project).' },
    EXPANSION: { description: 'Brings further teams or uses after the first sale.' },
    OTHER: { description: 'A part not listed here (see the description).' },
  },
});

/** A buyer persona: every attribute seed 001 lists, plus buying roles, an optional condition, quote, budget authority, channels and objections. */
@ObjectType({ description: 'A buyer persona: whom to engage and how.' })
@Entity()
@Index(['tierId'])
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_persona_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class Persona extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP this persona belongs to; set on creation.' }) icpId: string;
  @Prop.id({
    nullable: true,
    references: 'Tier',
    onDelete: 'SET NULL',
    description: 'The tier or segment this persona belongs to; null: the whole ICP.',
  })
  tierId: string | null;
  @Prop.int({ description: "Its place in the ICP's list of personas, from 0; a new one goes last." }) position: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Head of ML Platform".' }) name: string;
  @Prop.enumList(BuyingRole, { description: 'The parts this persona plays in the purchase (one or more).' })
  buyingRoles: BuyingRole[];
  @Prop.text({
    nullable: true,
    description: 'CEL expression over `account`: the persona applies only when it holds (e.g. "CFO for large deals").',
  })
  appliesWhen: string | null;
  @Prop.text({ nullable: true, description: 'Who this person is, in a few sentences.' }) description: string | null;
  @Prop.textList({ description: 'Job titles that fit, e.g. "VP Engineering", "CTO".' }) jobTitles: string[];
  @Prop.text({ nullable: true, description: 'Typical age range, e.g. "35-50".' }) ageRange: string | null;
  @Prop.text({ nullable: true, description: 'Typical gender, when the source states one.' }) gender: string | null;
  @Prop.text({ nullable: true, description: 'Function, e.g. IT, Operations, Finance.' }) jobFunction: string | null;
  @Prop.textList({ description: 'Sectors of activity of their company.' }) sectors: string[];
  @Prop.text({ nullable: true, description: 'Training and education.' }) education: string | null;
  @Prop.text({ nullable: true, description: 'Position in the company (seniority).' }) seniority: string | null;
  @Prop.text({ nullable: true, description: 'Typical professional experience, e.g. "10+ years in infrastructure".' })
  experience: string | null;
  @Prop.text({ nullable: true, description: 'The company they typically work in, e.g. "200-person Series B SaaS".' })
  companyContext: string | null;
  @Prop.textList({ description: 'Where they are, e.g. "North America", "EU".' }) geographies: string[];
  @Prop.text({ nullable: true, description: 'Their role in purchasing, in words.' }) roleInPurchasing: string | null;
  @Prop.text({ nullable: true, description: 'Average time to decide to buy.' }) timeToDecide: string | null;
  @Prop.text({ nullable: true, description: 'What they may spend or approve, in words, e.g. "Signs up to $250k".' })
  budgetAuthority: string | null;
  @Prop.textList({ description: 'What they focus on.' }) focus: string[];
  @Prop.textList({ description: 'Habits, hobbies, lifestyle.' }) habits: string[];
  @Prop.textList({ description: 'Challenges they face.' }) challenges: string[];
  @Prop.textList({ description: 'Goals, desires and aspirations.' }) goals: string[];
  @Prop.textList({ description: 'Frustrations, pains and difficulties.' }) painPoints: string[];
  @Prop.textList({ description: 'Events that make them buy.' }) triggers: string[];
  @Prop.textList({ description: 'Media they consume, where they look for information.' }) media: string[];
  @Prop.textList({ description: 'Types of content they are interested in.' }) contentInterests: string[];
  @Prop.textList({ description: 'Who influences them.' }) influencers: string[];
  @Prop.textList({ description: 'Technologies they use.' }) technologies: string[];
  @Prop.textList({ description: 'Criteria they typically use to decide.' }) decisionCriteria: string[];
  @Prop.textList({ description: 'Objections usually raised during the purchase.' }) objections: string[];
  @Prop.textList({ description: 'How to reach them.' }) channels: string[];
  @Prop.text({ nullable: true, description: 'In their own words.' }) quote: string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
