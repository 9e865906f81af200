import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand. Webhooks (modules/webhook): a workspace's subscriptions
 * and their outbox, `webhook_delivery`, written in the transaction of the
 * event it reports (a rolled-back publish leaves no row) and kept as the
 * delivery log. Both are tenant tables under row-level security like the
 * others. The delivery worker must find due rows across workspaces: that is
 * `icp_webhook_claim`, a SECURITY DEFINER function returning only ids and
 * workspaces, claimed with FOR UPDATE SKIP LOCKED and a lease, so several API
 * processes never send one row at once and a crashed process's claim lapses.
 * The worker then reads and updates each row in a session of its workspace.
 */
const CURRENT = `NULLIF(current_setting('app.workspace_id', true), '')::uuid`;
const TABLES = ['webhook', 'webhook_delivery'];

export class Webhooks1795447100000 implements MigrationInterface {
  name = 'Webhooks1795447100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "webhook" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "workspace_id" uuid NOT NULL, "name" text NOT NULL, "url" text NOT NULL, "events" text array NOT NULL DEFAULT '{}',
      "active" boolean NOT NULL DEFAULT true, "secret_prefix" text NOT NULL, "created_by" text NOT NULL, "secret_sealed" text NOT NULL,
      CONSTRAINT "PK_webhook" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "IDX_webhook_workspace_id" ON "webhook" ("workspace_id", "created_at")`);
    await q.query(`CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL,
      "webhook_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event" text NOT NULL, "body" text NOT NULL,
      "status" text NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE DEFAULT now(), "locked_until" TIMESTAMP WITH TIME ZONE,
      "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_latency_ms" integer, "last_error" text,
      "response_excerpt" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "redelivery_of" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_delivery" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_webhook_delivery_status" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
      CONSTRAINT "FK_webhook_delivery_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_webhook_delivery_webhook" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE)`);
    await q.query(
      `CREATE INDEX "IDX_webhook_delivery_webhook" ON "webhook_delivery" ("workspace_id", "webhook_id", "created_at")`,
    );
    // What the worker polls: only pending rows are in it, so it stays small however long the log grows.
    await q.query(
      `CREATE INDEX "IDX_webhook_delivery_due" ON "webhook_delivery" ("next_attempt_at") WHERE status = 'PENDING'`,
    );
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON webhook TO icp_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_delivery TO icp_app`);
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY workspace_isolation ON ${table} USING (workspace_id = ${CURRENT}) WITH CHECK (workspace_id = ${CURRENT})`,
      );
    }
    await q.query(`CREATE FUNCTION icp_webhook_claim(p_limit integer, p_lease_ms integer) RETURNS TABLE (id uuid, workspace_id uuid)
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        UPDATE webhook_delivery d SET locked_until = clock_timestamp() + p_lease_ms * interval '1 millisecond'
         WHERE d.id IN (SELECT c.id FROM webhook_delivery c
                         WHERE c.status = 'PENDING' AND c.next_attempt_at <= clock_timestamp()
                           AND (c.locked_until IS NULL OR c.locked_until <= clock_timestamp())
                         ORDER BY c.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.workspace_id
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION icp_webhook_claim(integer, integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION icp_webhook_claim(integer, integer) TO icp_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION icp_webhook_claim(integer, integer)`);
    await q.query(`DROP TABLE "webhook_delivery"`);
    await q.query(`DROP TABLE "webhook"`);
  }
}
