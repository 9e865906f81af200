import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';

export enum RevisionAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  REVERT = 'REVERT',
  PUBLISH = 'PUBLISH',
}
registerEnumType(RevisionAction, {
  name: 'RevisionAction',
  description: 'What a change in the history did to its record.',
  valuesConfig: {
    CREATE: { description: 'The record was created.' },
    UPDATE: { description: 'Some of its fields changed.' },
    DELETE: { description: 'The record was deleted.' },
    REVERT: { description: 'It was brought back to a past state (or restored after a deletion).' },
    PUBLISH: { description: 'An ICP version was published.' },
  },
});

/**
 * One entry of the append-only, hash-chained history: a change to one record.
 * The application's database role may insert and read these rows, never
 * update, delete or truncate them (grants and triggers in the migrations).
 */
@ObjectType({
  description: 'A change to one record: who, when, what (before, after, JSON Patch) and why, chained by hash.',
})
@Entity()
@Index(['workspaceId', 'chainIndex'], { unique: true })
@Index(['entityId', 'revision'], { unique: true })
@Index(['workspaceId', 'icpId', 'at'])
@Index(['workspaceId', 'at'])
export class Revision {
  @Field(() => ID, { description: 'Global sequence number.' })
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  /** The revision's identity for clients (a normalized cache keys Revision by it): its global sequence number. */
  @Field(() => ID, {
    description: 'This revision, unique across every workspace (its seq): what a client cache keys it by.',
  })
  get id(): string {
    return String(this.seq);
  }

  @Field(() => ID, { description: 'The workspace whose history (hash chain) it is in.' })
  @Column('uuid')
  workspaceId: string;
  @Field(() => Int, { description: "Position in the workspace's hash chain, from 1." })
  @Column('integer')
  chainIndex: number;
  @Field({ description: 'The GraphQL type of the record, e.g. "Persona".' }) @Column('text') entityType: string;
  @Field(() => ID, { description: 'The id of the record changed.' }) @Column('uuid') entityId: string;
  @Field(() => ID, { nullable: true, description: 'The ICP the record belongs to, when it belongs to one.' })
  @Column('uuid', { nullable: true })
  icpId: string | null;
  @Field(() => Int, { description: "The record's revision after this change." }) @Column('integer') revision: number;
  @Field(() => RevisionAction, { description: 'What the change did: create, update, delete, revert or publish.' })
  @Column('text')
  action: RevisionAction;
  @Field(() => ID, { nullable: true, description: 'The id of the user or API key that acted; null for the system.' })
  @Column('uuid', { nullable: true })
  actorId: string | null;
  @Field({ description: 'Who acted: a user, an API key, or "system".' }) @Column('text') actorLabel: string;
  @Field({ description: "When, by the database's clock." }) @Column('timestamptz') at: Date;
  @Field(() => String, {
    nullable: true,
    description: "Why, as the editor gave it (a publication's changelog); null if none was given.",
  })
  @Column('text', { nullable: true })
  reason: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The record before the change (null for a creation).' })
  @Column('jsonb', { nullable: true })
  before: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The record after the change (null for a deletion).' })
  @Column('jsonb', { nullable: true })
  after: unknown;
  @Field(() => GraphQLJSON, { description: 'The difference, as RFC 6902 JSON Patch operations.' })
  @Column('jsonb')
  patch: unknown;
  @Field({ description: 'The hash of the revision before it in the chain (64 zeros for the first): the link.' })
  @Column('text')
  prevHash: string;
  @Field({
    description:
      'SHA-256 (hex) of the canonical JSON of every field but seq, hash, keyId and signature: altering a revision breaks every hash after it.',
  })
  @Column('text')
  hash: string;
  @Field(() => String, {
    nullable: true,
    description: 'The key that signed the hash (null only for revisions written before signing began).',
  })
  @Column('text', { nullable: true })
  keyId: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Ed25519 signature of the hash, base64 (see the README's Audit).",
  })
  @Column('text', { nullable: true })
  signature: string | null;
}
