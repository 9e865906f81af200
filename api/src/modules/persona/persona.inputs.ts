import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { ProvenanceField, ProvenanceInput } from '../shared/shared.types';
import { BuyingRole } from './persona.entity';

const list = { maxItems: 100 };

/** The fields of a Persona, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class PersonaInput {
  @In.id({ required: true }) icpId: string;
  @In.id() tierId?: string | null;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.enumList(BuyingRole, Object.values(BuyingRole)) buyingRoles?: BuyingRole[];
  @In.text({ max: 4000 }) appliesWhen?: string | null;
  @In.text() description?: string | null;
  @In.textList(list) jobTitles?: string[];
  @In.text({ max: 100 }) ageRange?: string | null;
  @In.text({ max: 100 }) gender?: string | null;
  @In.text({ max: 200 }) jobFunction?: string | null;
  @In.textList(list) sectors?: string[];
  @In.text({ max: 500 }) education?: string | null;
  @In.text({ max: 200 }) seniority?: string | null;
  @In.text({ max: 200 }) experience?: string | null;
  @In.text({ max: 500 }) companyContext?: string | null;
  @In.textList(list) geographies?: string[];
  @In.text({ max: 1000 }) roleInPurchasing?: string | null;
  @In.text({ max: 200 }) timeToDecide?: string | null;
  @In.text({ max: 500 }) budgetAuthority?: string | null;
  @In.textList(list) focus?: string[];
  @In.textList(list) habits?: string[];
  @In.textList(list) challenges?: string[];
  @In.textList(list) goals?: string[];
  @In.textList(list) painPoints?: string[];
  @In.textList(list) triggers?: string[];
  @In.textList(list) media?: string[];
  @In.textList(list) contentInterests?: string[];
  @In.textList(list) influencers?: string[];
  @In.textList(list) technologies?: string[];
  @In.textList(list) decisionCriteria?: string[];
  @In.textList(list) objections?: string[];
  @In.textList(list) channels?: string[];
  @In.text({ max: 2000 }) quote?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on Persona records: a list returns those meeting every condition given.' })
export class PersonaFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name, description and quote.' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
  @Field(() => ID, { nullable: true, description: 'Only the personas of this tier.' }) tierId?: string;
  @Field(() => BuyingRole, { nullable: true, description: 'Personas holding this buying role.' })
  buyingRoles?: BuyingRole;
}
