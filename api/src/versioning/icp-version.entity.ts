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
  @Field(() => ID) @PrimaryGeneratedColumn('uuid') id: string;
  @Field(() => ID) @Column('uuid') workspaceId: string;
  @Field(() => ID) @Column('uuid') icpId: string;
  @Field(() => Int) @Column('integer') version: number;
  @Field() @Column('text') changelog: string;
  @Field(() => ID, { nullable: true }) @Column('uuid', { nullable: true }) publishedById: string | null;
  @Field() @Column('text') publishedBy: string;
  @Field() @Column('timestamptz', { default: () => 'now()' }) publishedAt: Date;
  /** The snapshot as canonical JSON text: stored and served byte for byte. */
  @Column('text') snapshot: string;
  @Field({ description: 'SHA-256 of the snapshot text.' }) @Column('text') snapshotHash: string;
}
