import { Webhook, WebhookDelivery } from './webhook.entity';
import { WebhookCrudResolvers, WebhookResolver } from './webhook.resolver';
import { webhookService } from './webhook.service';

export { DeliveryWorker } from './delivery-worker';
export const webhookModule = {
  entities: [Webhook, WebhookDelivery],
  services: [webhookService],
  resolvers: [...WebhookCrudResolvers, WebhookResolver],
};
