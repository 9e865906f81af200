import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand. Each claim of a webhook delivery takes a lease token of
 * its own (`lease`), returned by `icp_webhook_claim`; the worker records its
 * attempt only where the row still carries that token. A worker slow enough
 * for its lease to lapse, and the row to be claimed again, then overwrites
 * nothing of the newer claim's attempt. During a rolling deploy a process
 * still on the old code claims through this function too and records its
 * attempts without comparing the token, as it did: at least once still holds.
 */
const CLAIM = `CREATE FUNCTION icp_webhook_claim(p_limit integer, p_lease_ms integer)
  RETURNS TABLE (id uuid, workspace_id uuid, lease uuid)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE webhook_delivery d SET locked_until = clock_timestamp() + p_lease_ms * interval '1 millisecond',
                                  lease = gen_random_uuid()
     WHERE d.id IN (SELECT c.id FROM webhook_delivery c
                     WHERE c.status = 'PENDING' AND c.next_attempt_at <= clock_timestamp()
                       AND (c.locked_until IS NULL OR c.locked_until <= clock_timestamp())
                     ORDER BY c.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.workspace_id, d.lease
  $$`;

const PREVIOUS = `CREATE FUNCTION icp_webhook_claim(p_limit integer, p_lease_ms integer) RETURNS TABLE (id uuid, workspace_id uuid)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE webhook_delivery d SET locked_until = clock_timestamp() + p_lease_ms * interval '1 millisecond'
     WHERE d.id IN (SELECT c.id FROM webhook_delivery c
                     WHERE c.status = 'PENDING' AND c.next_attempt_at <= clock_timestamp()
                       AND (c.locked_until IS NULL OR c.locked_until <= clock_timestamp())
                     ORDER BY c.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.workspace_id
  $$`;

async function replaceClaim(q: QueryRunner, definition: string): Promise<void> {
  await q.query(`DROP FUNCTION icp_webhook_claim(integer, integer)`);
  await q.query(definition);
  await q.query(`REVOKE ALL ON FUNCTION icp_webhook_claim(integer, integer) FROM PUBLIC`);
  await q.query(`GRANT EXECUTE ON FUNCTION icp_webhook_claim(integer, integer) TO icp_app`);
}

export class WebhookDeliveryLease1795447172000 implements MigrationInterface {
  name = 'WebhookDeliveryLease1795447172000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_delivery" ADD "lease" uuid`);
    await replaceClaim(q, CLAIM);
  }

  public async down(q: QueryRunner): Promise<void> {
    await replaceClaim(q, PREVIOUS);
    await q.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "lease"`);
  }
}
