import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand. Workspace isolation in the database: every tenant table
 * has row-level security, enabled and forced, so even a query the
 * application gets wrong sees and writes only the rows of the workspace set
 * for the transaction (set_config('app.workspace_id', …, true)). Without that
 * setting, no row is visible.
 *
 * The few look-ups that must cross workspaces run as SECURITY DEFINER
 * functions owned by the owner, each returning only what it must: API key
 * and membership checks at sign-in, recording API key use, and the list of
 * workspace ids for start-up.
 */
const TENANT_TABLES = [
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
  'example_account',
  'membership',
  'api_key',
  'revision',
  'icp_version',
];
const CURRENT = `NULLIF(current_setting('app.workspace_id', true), '')::uuid`;

export class RowLevelSecurity1795438250800 implements MigrationInterface {
  name = 'RowLevelSecurity1795438250800';

  public async up(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY workspace_isolation ON ${table} USING (workspace_id = ${CURRENT}) WITH CHECK (workspace_id = ${CURRENT})`,
      );
    }
    await q.query(`ALTER TABLE workspace ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE workspace FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY workspace_isolation ON workspace USING (id = ${CURRENT}) WITH CHECK (id = ${CURRENT})`,
    );

    await q.query(`CREATE FUNCTION icp_auth_api_key(p_hash text) RETURNS TABLE (id uuid, name text, role text, workspace_id uuid, slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT k.id, k.name, k.role, k.workspace_id, w.slug FROM api_key k JOIN workspace w ON w.id = k.workspace_id
         WHERE k.key_hash = p_hash AND k.revoked_at IS NULL
      $$`);
    await q.query(`CREATE FUNCTION icp_auth_membership(p_user uuid, p_slug text) RETURNS TABLE (role text, workspace_id uuid, slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT m.role, w.id, w.slug FROM membership m JOIN workspace w ON w.id = m.workspace_id
         WHERE m.user_id = p_user AND (p_slug IS NULL OR w.slug = p_slug)
         ORDER BY w.created_at, w.slug LIMIT 1
      $$`);
    await q.query(`CREATE FUNCTION icp_record_api_key_use(p_ids uuid[], p_ats timestamptz[]) RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        UPDATE api_key k SET last_used_at = u.at FROM unnest(p_ids, p_ats) AS u(id, at)
         WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
      $$`);
    await q.query(`CREATE FUNCTION icp_workspace_ids() RETURNS TABLE (id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT id FROM workspace ORDER BY created_at, slug $$`);
    for (const fn of [
      'icp_auth_api_key(text)',
      'icp_auth_membership(uuid, text)',
      'icp_record_api_key_use(uuid[], timestamptz[])',
      'icp_workspace_ids()',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO icp_app`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'icp_auth_api_key(text)',
      'icp_auth_membership(uuid, text)',
      'icp_record_api_key_use(uuid[], timestamptz[])',
      'icp_workspace_ids()',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    for (const table of [...TENANT_TABLES, 'workspace']) {
      await q.query(`DROP POLICY workspace_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
