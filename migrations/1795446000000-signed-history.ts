import type { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT = `NULLIF(current_setting('app.workspace_id', true), '')::uuid`;

/**
 * Written by hand. Issue 15: each revision names the key that signed it and
 * carries the Ed25519 signature of its hash (core/history-keys.ts); the
 * database holds neither the signing key nor the public keys. Revisions
 * written before this migration have none: history_unsigned_prefix records,
 * per workspace, the last of them, the only ones verification accepts
 * unsigned. The application role may read it, never write it. The revision
 * table stays append-only (the triggers and grants are untouched).
 */
export class SignedHistory1795446000000 implements MigrationInterface {
  name = 'SignedHistory1795446000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE revision ADD key_id text, ADD signature text`);
    await q.query(
      `ALTER TABLE revision ADD CONSTRAINT revision_signed_by_a_key CHECK ((key_id IS NULL) = (signature IS NULL))`,
    );
    await q.query(`CREATE TABLE history_unsigned_prefix (
      workspace_id uuid PRIMARY KEY,
      last_chain_index integer NOT NULL
    )`);
    await q.query(`INSERT INTO history_unsigned_prefix (workspace_id, last_chain_index)
      SELECT workspace_id, max(chain_index) FROM revision GROUP BY workspace_id`);
    await q.query(`REVOKE ALL ON history_unsigned_prefix FROM PUBLIC`);
    await q.query(`GRANT SELECT ON history_unsigned_prefix TO icp_app`);
    await q.query(`ALTER TABLE history_unsigned_prefix ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE history_unsigned_prefix FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY workspace_isolation ON history_unsigned_prefix USING (workspace_id = ${CURRENT}) WITH CHECK (workspace_id = ${CURRENT})`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE history_unsigned_prefix`);
    await q.query(`ALTER TABLE revision DROP CONSTRAINT revision_signed_by_a_key`);
    await q.query(`ALTER TABLE revision DROP COLUMN signature, DROP COLUMN key_id`);
  }
}
