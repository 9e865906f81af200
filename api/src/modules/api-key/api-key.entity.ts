import { Column, Entity, Index } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Role } from '../../auth/roles';

/** A key a client tool sends as `Authorization: Bearer <key>`; only its SHA-256 is stored. */
@ObjectType({
  description:
    'An API key for a client tool, bound to one workspace and a role. The key itself is shown once, at creation.',
})
@Entity()
@Index(['keyHash'], { unique: true })
export class ApiKey extends TenantRecord {
  @Prop.text({ description: 'What the key is for, e.g. "CRM sync".' }) name: string;
  @Prop.enum(Role, {
    description: 'What the key may do in its workspace (usually CLIENT: score accounts, read published ICPs).',
  })
  role: Role;
  @Prop.text({ description: 'The first characters of the key, to recognise it.' }) prefix: string;
  /** SHA-256 of the key (keys are 256 random bits, so a fast hash is the right one); never in the API or history. */
  // Never loaded by the generic code (select: false): the key check reads it in SQL only.
  @Column('text', { select: false }) keyHash: string;
  @Field(() => Date, { nullable: true, description: 'When it was revoked; a revoked key is refused. Null: in use.' })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;
  @Prop.text({ description: 'Who created it.' }) createdBy: string;
}
