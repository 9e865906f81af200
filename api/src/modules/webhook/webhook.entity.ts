import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';

/** What a webhook can be told of. The stored and delivered name is the value (`icp.published`). */
export enum WebhookEvent {
  ICP_PUBLISHED = 'icp.published',
  ICP_VERSION_REVERTED = 'icp.version_reverted',
  HISTORY_CHECKPOINT = 'history.checkpoint',
}
registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description: 'An event a webhook subscribes to; delivered with its dotted name in the "type" of the body.',
  valuesConfig: {
    ICP_PUBLISHED: { description: 'icp.published: an ICP was published as a new numbered version.' },
    ICP_VERSION_REVERTED: {
      description: "icp.version_reverted: an ICP's draft was brought back to a published version.",
    },
    HISTORY_CHECKPOINT: { description: "history.checkpoint: a signed checkpoint of the workspace's history was kept." },
  },
});
export const WEBHOOK_EVENTS = Object.values(WebhookEvent);

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Waiting for its first attempt or for a retry.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Every attempt failed (or the webhook was switched off); redeliver to try again.' },
  },
});

/** A workspace's subscription: events POSTed to a URL, signed with a secret only the server can read. */
@ObjectType({
  description:
    'A URL this workspace’s events are POSTed to, signed with HMAC-SHA256. The secret is shown once, at creation.',
})
@Entity()
@Index(['workspaceId', 'createdAt'])
export class Webhook extends TenantRecord {
  @Prop.text({ description: 'What it is for, e.g. "CRM sync".' }) name: string;
  @Prop.text({ description: 'Where deliveries are POSTed (https in production).' }) url: string;
  @Prop.enumList(WebhookEvent, { description: 'The events delivered to it.' }) events: WebhookEvent[];
  @Prop.bool({ default: true, description: 'Off: no new deliveries are made for it.' }) active: boolean;
  @Prop.text({ description: 'The first characters of the secret, to recognise it.' }) secretPrefix: string;
  @Prop.text({ description: 'Who created it.' }) createdBy: string;
  /** The signing secret, sealed (secret-box.ts); never loaded by the generic code, never in the API or history. */
  @Column('text', { select: false }) secretSealed: string;
}

/** One event for one webhook: the outbox row written in the event's transaction, and its delivery log. */
@ObjectType({ description: 'One event sent (or to be sent) to one webhook, with how its attempts went.' })
@Entity()
@Index(['workspaceId', 'webhookId', 'createdAt'])
export class WebhookDelivery {
  @Field(() => ID, { description: 'This delivery (each redelivery is a delivery of its own).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;
  @Prop.id({ references: 'Workspace', description: 'The workspace whose event it is.' }) workspaceId: string;
  @Prop.id({ references: 'Webhook', description: 'The webhook it is for.' }) webhookId: string;
  @Field(() => ID, { description: 'The event’s id (ICP-Webhook-Id): the same in every redelivery, to deduplicate.' })
  @Column('uuid')
  eventId: string;
  @Field(() => WebhookEvent, { description: 'The event.' }) @Column('text') event: WebhookEvent;
  /** The body exactly as signed and sent. */
  @Column('text') body: string;
  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  @Column('text', { default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far.' }) @Column('integer', { default: 0 }) attempts: number;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once delivered or failed.' })
  @Column('timestamptz', { nullable: true, default: () => 'now()' })
  nextAttemptAt: Date | null;
  /** A worker holds it until then (claimed with SKIP LOCKED); a crashed worker's claim lapses. */
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  /** The token of the claim holding it: an attempt is recorded only under the lease it was made under. */
  @Column('uuid', { nullable: true }) lease: string | null;
  @Field(() => Date, { nullable: true, description: 'When the last attempt was made.' })
  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer; null when none came.' })
  @Column('integer', { nullable: true })
  lastStatusCode: number | null;
  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' })
  @Column('integer', { nullable: true })
  lastLatencyMs: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (timeout, refused address, …).' })
  @Column('text', { nullable: true })
  lastError: string | null;
  @Field(() => String, { nullable: true, description: 'The start of the last answer’s body (at most 256 characters).' })
  @Column('text', { nullable: true })
  responseExcerpt: string | null;
  @Field(() => Date, { nullable: true, description: 'When the receiver accepted it.' })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'The delivery this one sends again (redeliverWebhook).' })
  @Column('uuid', { nullable: true })
  redeliveryOf: string | null;
  @Field({ description: 'When the event happened (the outbox row was written).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
