import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workspaces a user belongs to, with the role in each, for a workspace
 * switcher. Row-level security shows a session only its current workspace,
 * so this is a SECURITY DEFINER function, like the sign-in look-ups, and it
 * answers only for the user it is given (the signed-in one).
 */
export class UserWorkspaces1795440000000 implements MigrationInterface {
  name = 'UserWorkspaces1795440000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION icp_user_workspaces(p_user uuid) RETURNS TABLE (workspace_id uuid, slug text, name text, role text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT w.id, w.slug, w.name, m.role FROM membership m JOIN workspace w ON w.id = m.workspace_id
         WHERE m.user_id = p_user
         ORDER BY w.created_at, w.slug
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION icp_user_workspaces(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION icp_user_workspaces(uuid) TO icp_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION icp_user_workspaces(uuid)`);
  }
}
