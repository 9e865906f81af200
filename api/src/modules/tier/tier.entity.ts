import { Entity, Unique } from 'typeorm';
import { ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { LabeledValue, Provenance, ProvenanceField } from '../shared/shared.types';

export enum TierKind {
  TIER = 'TIER',
  SEGMENT = 'SEGMENT',
}
registerEnumType(TierKind, {
  name: 'TierKind',
  description: 'TIER: a priority level (Tier 1, 2, 3); SEGMENT: a target group (a vertical, a secondary ICP).',
  valuesConfig: {
    TIER: { description: 'A priority level (Tier 1, 2, 3): the fit score picks the best-ranked tier that matches.' },
    SEGMENT: { description: 'A target group, such as a vertical or a secondary ICP.' },
  },
});

@ObjectType({ description: 'A tier or segment of an ICP, ranked in the order of priority (rank 1 = best).' })
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_tier_icp_id_rank', ['icpId', 'rank'], { deferrable: 'INITIALLY IMMEDIATE' })
@Unique('uq_tier_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class Tier extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP this tier belongs to; set on creation.' }) icpId: string;
  @Prop.int({ description: '1 = best. The fit score picks the best-ranked tier whose criteria hold.' }) rank: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Tier 1: AI-native scale-ups".' }) name: string;
  @Prop.enum(TierKind, { description: 'TIER (a priority level) or SEGMENT (a target group).' }) kind: TierKind;
  @Prop.float({ nullable: true, description: 'Share of the go-to-market focus, 0..1 (e.g. 0.8 for "80%").' })
  focusShare: number | null;
  @Prop.text({ nullable: true, description: 'CEL expression over `account`; the tier matches when it holds.' })
  criteria: string | null;
  @Prop.text({ nullable: true, description: 'What sets accounts of this tier apart.' }) description: string | null;
  @Prop.items(() => LabeledValue, {
    description: 'The profile as the source states it: revenue, maturity, volume, budget…',
  })
  profile: LabeledValue[];
  @Prop.textList({ description: 'Traits of accounts in this tier.' }) characteristics: string[];
  @Prop.textList({ description: 'What to pitch to this tier, one proposition per item.' }) valuePropositions: string[];
  @Prop.textList({ description: 'Example companies of this tier, by name.' }) examples: string[];
  @Prop.textList({ description: 'Their reasons to buy, as the source states them.' }) whyTheyBuy: string[];
  @Prop.text({ nullable: true, description: 'What sales does with such an account, e.g. "Target first".' }) action:
    string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
