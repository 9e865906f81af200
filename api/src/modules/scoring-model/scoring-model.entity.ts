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
  @Prop.id({ references: 'Icp' }) icpId: string;
  @Prop.int() position: number;
  @Prop.text() name: string;
  @Prop.float({ description: 'The highest score this dimension can give.' }) max: number;
  @Prop.text({ nullable: true }) description: string | null;
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
  @Prop.id({ references: 'ScoringDimension' }) dimensionId: string;
  @Prop.int() position: number;
  @Prop.text() name: string;
  @Prop.text({ description: 'CEL expression over `account`; "true" always applies.' }) condition: string;
  @Prop.text({ description: 'CEL expression for the points: a number ("5") or a formula ("account.useCaseFit").' })
  points: string;
  @Prop.text({ nullable: true }) description: string | null;
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
  @Prop.id({ references: 'Icp' }) icpId: string;
  @Prop.text() name: string;
  @Prop.float() minScore: number;
  @Prop.text() action: string;
  @Prop.text({ nullable: true }) description: string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
