import { Entity, Unique } from 'typeorm';
import { ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Provenance, ProvenanceField } from '../shared/shared.types';

export enum PatternKind {
  INDUSTRY = 'INDUSTRY',
  TECHNICAL = 'TECHNICAL',
}
registerEnumType(PatternKind, {
  name: 'PatternKind',
  description: 'INDUSTRY: use cases of a vertical; TECHNICAL: a technical pattern across verticals.',
});

@ObjectType({
  description:
    'A use-case pattern: what accounts of an industry (or with a technical pattern) struggle with and buy for.',
})
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_use_case_pattern_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class UseCasePattern extends TenantRecord {
  @Prop.id({ references: 'Icp' }) icpId: string;
  @Prop.int() position: number;
  @Prop.text() name: string;
  @Prop.enum(PatternKind) kind: PatternKind;
  @Prop.text({ nullable: true, description: 'The industry as the source names it, e.g. "Healthcare/Life Sciences".' })
  industry: string | null;
  @Prop.textList({ description: 'Values of account.industry this pattern applies to.' }) industries: string[];
  @Prop.text({ nullable: true }) description: string | null;
  @Prop.textList() painPoints: string[];
  @Prop.textList() useCases: string[];
  @Prop.textList() keyMetrics: string[];
  @Prop.textList() competitors: string[];
  @Prop.textList({ description: 'Traits of a technical pattern, e.g. "Sub-100ms latency requirements".' })
  characteristics: string[];
  @Prop.textList() examples: string[];
  @ProvenanceField.stored() provenance: Provenance | null;
}
