import { CrudService } from '../../core/crud.service';
import { db, type RequestContext } from '../../core/context';
import { NotFoundError, ValidationError } from '../../core/errors';
import { isUuid } from '../../core/inputs';
import { checkedPage, type PageArgs } from '../../core/pagination';
import { afterCommit, withTransaction } from '../../db/transaction';
import { wakeWorkers } from './events';
import { newWebhookSecret, sealSecret } from './secret-box';
import { checkTarget, STRICT_TARGETS } from './target';
import { Webhook, WebhookDelivery, WebhookDeliveryStatus } from './webhook.entity';
import { type WebhookDeliveryFilter, WebhookInput } from './webhook.inputs';

class WebhookService extends CrudService<Webhook> {
  /** Creates a webhook and returns its signing secret once; only a sealed copy is kept. An audited change. */
  async issue(
    ctx: RequestContext,
    input: WebhookInput,
    reason?: string | null,
  ): Promise<{ secret: string; webhook: Webhook }> {
    if (!ctx.auth) throw new Error('creating a webhook needs the server secret (ctx.auth)');
    const { secret, prefix } = newWebhookSecret();
    const webhook = await this.create(ctx, input, {
      reason,
      set: { secretSealed: sealSecret(ctx.auth.secret, secret), secretPrefix: prefix, createdBy: ctx.actor.label },
    });
    // The saved object still holds what was inserted: the sealed secret goes no further.
    delete (webhook as Partial<Webhook>).secretSealed;
    return { secret, webhook };
  }

  /** The workspace's deliveries, newest first. */
  async deliveries(
    ctx: RequestContext,
    filter: WebhookDeliveryFilter = {},
    page?: PageArgs | null,
  ): Promise<WebhookDelivery[]> {
    const { offset, limit } = checkedPage(page);
    for (const key of ['webhookId', 'eventId'] as const) if (filter[key] != null && !isUuid(filter[key])) return [];
    const where = Object.fromEntries(Object.entries({ ...filter }).filter(([, v]) => v != null));
    return db(ctx).find(WebhookDelivery, {
      where: { ...where, workspaceId: ctx.workspaceId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** Sends a delivery's event again, as a new delivery (same event id and body, a fresh log). */
  async redeliver(ctx: RequestContext, deliveryId: string): Promise<WebhookDelivery> {
    return withTransaction(ctx, async (tx) => {
      const original = isUuid(deliveryId)
        ? await db(tx).findOne(WebhookDelivery, { where: { id: deliveryId, workspaceId: tx.workspaceId } })
        : null;
      if (!original) throw new NotFoundError('webhook delivery', deliveryId, 'delivery');
      const webhook = await this.get(tx, original.webhookId);
      if (!webhook.active)
        throw ValidationError.one('delivery', `webhook "${webhook.name}" is switched off: activate it to redeliver`);
      const again = db(tx).create(WebhookDelivery, {
        workspaceId: tx.workspaceId,
        webhookId: original.webhookId,
        eventId: original.eventId,
        event: original.event,
        body: original.body,
        status: WebhookDeliveryStatus.PENDING,
        redeliveryOf: original.id,
      });
      await db(tx).insert(WebhookDelivery, again);
      afterCommit(tx, wakeWorkers);
      return (await db(tx).findOneBy(WebhookDelivery, { id: again.id }))!;
    });
  }
}

export const webhookService = new WebhookService({
  entity: Webhook,
  label: 'webhook',
  input: WebhookInput,
  searchable: ['name', 'url'],
  sortable: ['name', 'url', 'createdAt', 'updatedAt'],
  defaultSort: { createdAt: 'DESC' },
  hidden: ['secretSealed'],
  beforeWrite: async (ctx, next, existing) => {
    // A deleted webhook's secret is not in its history: it cannot come back, a new one is made instead.
    if (!existing && !next.secretSealed)
      throw ValidationError.one('id', 'a deleted webhook cannot be restored (its secret is gone): create a new one');
    if (!Array.isArray(next.events) || !next.events.length)
      throw ValidationError.one('input.events', 'must name at least one event');
    next.events = [...new Set(next.events as string[])];
    next.active ??= true;
    const problem = await checkTarget(String(next.url), ctx.webhookTargets ?? STRICT_TARGETS);
    if (problem) throw ValidationError.one('input.url', problem);
  },
});
