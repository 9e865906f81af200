import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { entityInputs } from '../../core/inputs';
import { PageArgs } from '../../core/pagination';
import { Webhook, WebhookDelivery } from './webhook.entity';
import { WebhookDeliveryFilter, WebhookFilter, WebhookInput } from './webhook.inputs';
import { webhookService } from './webhook.service';

/** webhook, webhooks, webhookCount, updateWebhook, deleteWebhook; creating has its own verb (the secret, once). */
export const WebhookCrudResolvers = crudResolver({
  type: Webhook,
  plural: 'webhooks',
  filter: WebhookFilter,
  service: webhookService,
});

const CreateWebhookInput = entityInputs(Webhook, WebhookInput, { label: 'webhook' }).create;

@ObjectType({ description: 'A new webhook and its signing secret, shown this once.' })
class IssuedWebhook {
  @Field({
    description:
      'The signing secret: shown this once, never readable again. Verify ICP-Webhook-Signature with it (README, "Webhooks").',
  })
  secret: string;
  @Field(() => Webhook, { description: 'The webhook created.' }) webhook: Webhook;
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Mutation(() => IssuedWebhook, {
    description: 'Creates a webhook for this workspace; its signing secret is returned once.',
  })
  createWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateWebhookInput, { description: 'Its name, URL and events.' }) input: WebhookInput,
    @Arg('reason', () => String, { nullable: true, description: "Why, in the admin's words; kept in the history." })
    reason?: string,
  ) {
    return webhookService.issue(ctx, input, reason);
  }

  @Query(() => [WebhookDelivery], {
    description: "The workspace's webhook deliveries, newest first: status, attempts, latency, last error.",
  })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true, description: 'Which deliveries.' })
    filter?: WebhookDeliveryFilter,
    @Args(() => PageArgs) page?: PageArgs,
  ): Promise<WebhookDelivery[]> {
    return webhookService.deliveries(ctx, filter ?? {}, page);
  }

  @Mutation(() => WebhookDelivery, {
    description: "Sends a delivery's event again now, as a new delivery with the same event id and body.",
  })
  redeliverWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('delivery', () => ID, { description: 'The delivery to send again.' }) delivery: string,
  ): Promise<WebhookDelivery> {
    return webhookService.redeliver(ctx, delivery);
  }
}
