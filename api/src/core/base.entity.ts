import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn, Column } from 'typeorm';
import { Prop } from './fields';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/** Columns every stored record has: identity, optimistic-concurrency revision, timestamps. */
@ObjectType()
export abstract class BaseRecord {
  @Field(() => ID, { description: "The record's id (a UUID), unique across all types and never reused." })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => Int, {
    description: 'Bumped by every change; updates and deletes must name the revision they were based on.',
  })
  @Column('integer', { default: 1 })
  revision: number;

  @Field({ description: 'When it was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When it last changed (its latest revision).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A record that belongs to one workspace (every table but the workspace itself). */
@ObjectType()
export abstract class TenantRecord extends BaseRecord {
  @Prop.id({ references: 'Workspace', description: 'The workspace it belongs to; no other workspace can read it.' })
  workspaceId: string;
}
