import { Entity, Unique } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Provenance, ProvenanceField } from '../shared/shared.types';

/**
 * An account stored with the ICP together with what it must score: its tier,
 * whether it is disqualified, its band. Every example must pass before a
 * version can be published, so a rule change cannot silently move them.
 */
@ObjectType({ description: 'An account with the outcome it must get; all must pass before the ICP can be published.' })
@Entity()
@Unique('uq_example_account_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class ExampleAccount extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP whose publication this example guards; set on creation.' })
  icpId: string;
  @Prop.int({ description: "Its place in the ICP's list of examples, from 0; a new one goes last." }) position: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "Acme Robotics".' }) name: string;
  @Prop.text({ nullable: true, description: 'Where the example comes from, e.g. the sentence of the source document.' })
  description: string | null;
  @Prop.json({ description: 'Attribute name → value, as a client tool would send it.' }) attributes: Record<
    string,
    unknown
  >;
  @Prop.text({
    nullable: true,
    description: 'The tier or segment name it must get; "none" for no tier; null: not checked.',
  })
  expectedTier: string | null;
  @Prop.bool({ nullable: true, description: 'Whether it must be disqualified; null: not checked.' })
  expectedDisqualified: boolean | null;
  @Prop.text({ nullable: true, description: 'The band name it must get; "none" for no band; null: not checked.' })
  expectedBand: string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}
