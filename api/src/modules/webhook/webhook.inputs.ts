import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { WEBHOOK_EVENTS, WebhookDeliveryStatus, WebhookEvent } from './webhook.entity';

/** The fields of a webhook, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class WebhookInput {
  @In.text({ required: true, max: 200, description: 'What it is for.' }) name: string;
  @In.text({ required: true, max: 2000, description: 'https://… (http only outside production).' }) url: string;
  @In.enumList(WebhookEvent, WEBHOOK_EVENTS, { required: true, description: 'At least one.' }) events: WebhookEvent[];
  @In.bool({ description: 'Default true.' }) active?: boolean;
}

@InputType({ description: 'Which webhooks to list.' })
export class WebhookFilter {
  @Field(() => [ID], { nullable: true, description: 'These ids only.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and URL.' }) q?: string;
  @Field(() => Boolean, { nullable: true, description: 'Active or not.' }) active?: boolean;
}

@InputType({ description: 'Which deliveries to list (newest first).' })
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true, description: 'One webhook’s deliveries.' }) webhookId?: string;
  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'In this state only.' })
  status?: WebhookDeliveryStatus;
  @Field(() => ID, { nullable: true, description: 'One event’s deliveries (its redeliveries included).' })
  eventId?: string;
}
