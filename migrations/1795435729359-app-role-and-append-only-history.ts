import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (privileges and triggers are not derived from entities).
 * The application connects as icp_app, which owns nothing: it may read and
 * write the domain tables, and only INSERT into and SELECT from the history
 * (revision) and the published versions (icp_version). Triggers refuse
 * UPDATE, DELETE and TRUNCATE of those two tables to everyone, owner included,
 * short of disabling the triggers, which the hash chain would then expose.
 */
const DOMAIN_TABLES = [
  'workspace',
  'attribute_definition',
  'icp',
  'tier',
  'persona',
  'use_case_pattern',
  'disqualifier',
  'trigger_event',
  'scoring_dimension',
  'scoring_rule',
  'action_band',
];
const APPEND_ONLY = ['revision', 'icp_version'];

export class AppRoleAndAppendOnlyHistory1795435729359 implements MigrationInterface {
  name = 'AppRoleAndAppendOnlyHistory1795435729359';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'icp_app') THEN CREATE ROLE icp_app NOLOGIN; END IF;
    END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO icp_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${DOMAIN_TABLES.join(', ')} TO icp_app`);
    await q.query(`GRANT SELECT, INSERT ON ${APPEND_ONLY.join(', ')} TO icp_app`);
    await q.query(`GRANT USAGE ON SEQUENCE revision_seq_seq TO icp_app`);
    await q.query(`CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of APPEND_ONLY) {
      await q.query(
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`,
      );
      await q.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of APPEND_ONLY) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_no_update_delete ON ${table}`);
    }
    await q.query(`DROP FUNCTION refuse_history_rewrite()`);
    await q.query(`REVOKE ALL ON ${[...DOMAIN_TABLES, ...APPEND_ONLY].join(', ')} FROM icp_app`);
    await q.query(`REVOKE ALL ON SEQUENCE revision_seq_seq FROM icp_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM icp_app`);
  }
}
