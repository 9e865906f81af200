import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The quota counters (api/src/auth/quotas.ts), in the layout
 * rate-limiter-flexible's PostgreSQL store creates itself
 * (`key varchar(255) PRIMARY KEY, points integer, expire bigint`, expire in
 * epoch ms). Created here because icp_app owns nothing and cannot create
 * tables; the store is told `tableCreated: true`. Not per-workspace data (a
 * key counts a principal, which may span workspaces, and holds no content),
 * so no row-level security: the start-up check knows it as a shared table.
 * icp_app upserts, reads and deletes expired rows.
 */
export class RateLimit1795443000000 implements MigrationInterface {
  name = 'RateLimit1795443000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE rate_limit (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit TO icp_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit`);
  }
}
