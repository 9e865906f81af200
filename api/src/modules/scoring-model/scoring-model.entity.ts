import { Entity, Index, Unique } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Provenance, ProvenanceField } from '../shared/shared.types';

@ObjectType({ description: 'A dimension of the scoring model: the sum of its matching rules, clamped to [0, max].' })
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_scoring_dimension_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class ScoringDimension extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP whose scoring model this is; set on creation.' }) icpId: string;
  @Prop.int({ description: 'Its place in the model, from 0; a new one goes last.' }) position: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Technical fit".' }) name: string;
  @Prop.float({ description: 'The highest score this dimension can give.' }) max: number;
  @Prop.text({ nullable: true, description: 'What this dimension measures.' }) description: string | null;
  @Prop.textList({ description: 'What a rep weighs for it, in words (e.g. "Budget availability").' }) factors: string[];
  @ProvenanceField.stored() provenance: Provenance | null;
}

@ObjectType({ description: 'A scoring rule: when its condition holds, its points count towards its dimension.' })
@Entity()
@Index(['icpId'])
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_scoring_rule_dimension_id_name', ['dimensionId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class ScoringRule extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'Taken from the dimension.' }) icpId: string;
  @Prop.id({ references: 'ScoringDimension', description: 'The dimension whose score this rule adds to.' })
  dimensionId: string;
  @Prop.int({ description: "Its place among the dimension's rules, from 0; a new one goes last." }) position: number;
  @Prop.text({ description: 'Its name, unique in the dimension, e.g. "Runs GPUs in production".' }) name: string;
  @Prop.text({ description: 'CEL expression over `account`; "true" always applies.' }) condition: string;
  @Prop.text({ description: 'CEL expression for the points: a number ("5") or a formula ("account.useCaseFit").' })
  points: string;
  @Prop.text({ nullable: true, description: 'Why the rule gives these points, in words.' }) description: string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}

@ObjectType({
  description:
    'An action band: what to do with an account whose score is at least minScore (the highest such band wins).',
})
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_action_band_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
@Unique('uq_action_band_icp_id_min_score', ['icpId', 'minScore'], { deferrable: 'INITIALLY IMMEDIATE' })
export class ActionBand extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP whose bands these are; set on creation.' }) icpId: string;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Hot".' }) name: string;
  @Prop.float({ description: 'The lowest total score in this band; unique in the ICP.' }) minScore: number;
  @Prop.text({ description: 'What sales does with an account in this band, e.g. "Call within 24 hours".' })
  action: string;
  @Prop.text({ nullable: true, description: 'What an account in this band looks like.' }) description: string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
