import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets of one deployment (the session signing key) when AUTH_SECRET is
 * unset: generated at random by the first process to start, read by every
 * other through DATABASE_URL. Only the owner can read it: the application
 * role gets nothing, so no query it runs can leak the key.
 */
export class InstanceSecret1795444000000 implements MigrationInterface {
  name = 'InstanceSecret1795444000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE instance_secret (
      name text PRIMARY KEY,
      value text NOT NULL CHECK (length(value) >= 32),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`REVOKE ALL ON instance_secret FROM PUBLIC`);
    await q.query(`REVOKE ALL ON instance_secret FROM icp_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE instance_secret`);
  }
}
