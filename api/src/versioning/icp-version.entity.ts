import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * A published version of an ICP: the whole ICP (tiers, personas, patterns,
 * rules, bands, disqualifiers, triggers) frozen as one immutable snapshot.
 * Scores are computed from these, never from the draft.
 */
@ObjectType({ description: 'An immutable, numbered, published version of a whole ICP.' })
@Entity()
@Index(['icpId', 'version'], { unique: true })
export class IcpVersion {
  @Field(() => ID, { description: 'The id of this version (unique across ICPs and versions).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;
  @Field(() => ID, { description: 'The workspace of the ICP.' }) @Column('uuid') workspaceId: string;
  @Field(() => ID, { description: 'The id of the ICP it is a version of.' }) @Column('uuid') icpId: string;
  @Field(() => Int, { description: 'Its number: 1 for the first published version, then one more each time.' })
  @Column('integer')
  version: number;
  @Field({ description: 'What changed in this version, as the publisher wrote it.' })
  @Column('text')
  changelog: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The id of the user or API key that published it; null when the system did (e.g. the demo data).',
  })
  @Column('uuid', { nullable: true })
  publishedById: string | null;
  @Field({ description: 'Who published it, as the history names them: an email, an API key\'s name, or "system".' })
  @Column('text')
  publishedBy: string;
  @Field({ description: "When it was published, by the database's clock." })
  @Column('timestamptz', { default: () => 'now()' })
  publishedAt: Date;
  /** The snapshot as canonical JSON text: stored and served byte for byte. */
  @Column('text') snapshot: string;
  @Field({ description: 'SHA-256 of the snapshot text.' }) @Column('text') snapshotHash: string;
}
