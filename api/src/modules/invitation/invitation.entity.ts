import { Column, Entity, Index } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Role } from '../../auth/roles';

export enum InvitationStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REVOKED = 'REVOKED',
}
registerEnumType(InvitationStatus, {
  name: 'InvitationStatus',
  description: 'Where an invitation is: waiting, used or withdrawn.',
  valuesConfig: {
    PENDING: { description: 'Sent and not yet accepted; its token works until it expires.' },
    ACCEPTED: { description: 'The person joined the workspace; its token no longer works.' },
    REVOKED: { description: 'Withdrawn by an admin; its token no longer works.' },
  },
});

/** An offer to join a workspace with a role; the person it is for accepts it with its token (only its SHA-256 is stored). */
@ObjectType({ description: 'An invitation to join this workspace; the token is shown once, to the admin who invites.' })
@Entity()
@Index(['tokenHash'], { unique: true })
export class Invitation extends TenantRecord {
  @Prop.text({ description: 'Lower-case; the person who may accept.' }) email: string;
  @Prop.enum(Role, { description: 'The role the person gets in this workspace on accepting.' }) role: Role;
  @Prop.text({ nullable: true, description: 'A name for a new account.' }) name: string | null;
  @Prop.enum(InvitationStatus, { description: 'PENDING until accepted or revoked.' }) status: InvitationStatus;
  @Field({ description: 'After this it can no longer be accepted.' }) @Column('timestamptz') expiresAt: Date;
  @Prop.text({ description: 'Who invited.' }) invitedBy: string;
  /** SHA-256 of the token; never loaded outside the acceptance look-up, never in the API or history. */
  @Column('text', { select: false }) tokenHash: string;
}
