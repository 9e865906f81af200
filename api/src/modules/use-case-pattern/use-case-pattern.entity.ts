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
  valuesConfig: {
    INDUSTRY: { description: 'The use cases of one vertical, e.g. healthcare.' },
    TECHNICAL: { description: 'A technical pattern found across verticals, e.g. real-time inference.' },
  },
});

@ObjectType({
  description:
    'A use-case pattern: what accounts of an industry (or with a technical pattern) struggle with and buy for.',
})
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_use_case_pattern_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class UseCasePattern extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP this pattern belongs to; set on creation.' }) icpId: string;
  @Prop.int({ description: "Its place in the ICP's list of patterns, from 0; a new one goes last." }) position: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Healthcare imaging".' }) name: string;
  @Prop.enum(PatternKind, {
    description: 'INDUSTRY (use cases of a vertical) or TECHNICAL (a pattern across verticals).',
  })
  kind: PatternKind;
  @Prop.text({ nullable: true, description: 'The industry as the source names it, e.g. "Healthcare/Life Sciences".' })
  industry: string | null;
  @Prop.textList({ description: 'Values of account.industry this pattern applies to.' }) industries: string[];
  @Prop.text({ nullable: true, description: 'The pattern in a few sentences.' }) description: string | null;
  @Prop.textList({ description: 'What accounts of this pattern struggle with.' }) painPoints: string[];
  @Prop.textList({ description: 'What they would use the product for.' }) useCases: string[];
  @Prop.textList({ description: 'The numbers they judge success by, e.g. "p99 latency".' }) keyMetrics: string[];
  @Prop.textList({ description: 'Alternatives they consider for these use cases.' }) competitors: string[];
  @Prop.textList({ description: 'Traits of a technical pattern, e.g. "Sub-100ms latency requirements".' })
  characteristics: string[];
  @Prop.textList({ description: 'Example companies of this pattern, by name.' }) examples: string[];
  @ProvenanceField.stored() provenance: Provenance | null;
}
