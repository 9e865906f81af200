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
});

@ObjectType({ description: 'A tier or segment of an ICP, ranked in the order of priority (rank 1 = best).' })
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_tier_icp_id_rank', ['icpId', 'rank'], { deferrable: 'INITIALLY IMMEDIATE' })
@Unique('uq_tier_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class Tier extends TenantRecord {
  @Prop.id({ references: 'Icp' }) icpId: string;
  @Prop.int({ description: '1 = best. The fit score picks the best-ranked tier whose criteria hold.' }) rank: number;
  @Prop.text() name: string;
  @Prop.enum(TierKind) kind: TierKind;
  @Prop.float({ nullable: true, description: 'Share of the go-to-market focus, 0..1 (e.g. 0.8 for "80%").' })
  focusShare: number | null;
  @Prop.text({ nullable: true, description: 'CEL expression over `account`; the tier matches when it holds.' })
  criteria: string | null;
  @Prop.text({ nullable: true }) description: string | null;
  @Prop.items(() => LabeledValue, {
    description: 'The profile as the source states it: revenue, maturity, volume, budget…',
  })
  profile: LabeledValue[];
  @Prop.textList() characteristics: string[];
  @Prop.textList() valuePropositions: string[];
  @Prop.textList() examples: string[];
  @Prop.textList() whyTheyBuy: string[];
  @Prop.text({ nullable: true, description: 'What sales does with such an account, e.g. "Target first".' }) action:
    string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
