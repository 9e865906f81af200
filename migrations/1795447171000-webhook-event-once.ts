import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand. An event is recorded once per webhook: a unique index on
 * (webhook, event id) over the outbox rows that are not redeliveries (a
 * redelivery repeats its event's id on purpose). Events whose id is derived
 * from what they report, like history.checkpoint's from (workspace, chain
 * index), are then written with ON CONFLICT DO NOTHING: two processes keeping
 * the same checkpoint, or a retry after a crash, leave one row, not two.
 */
export class WebhookEventOnce1795447171000 implements MigrationInterface {
  name = 'WebhookEventOnce1795447171000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX "UQ_webhook_delivery_event" ON "webhook_delivery" ("webhook_id", "event_id") WHERE redelivery_of IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "UQ_webhook_delivery_event"`);
  }
}
