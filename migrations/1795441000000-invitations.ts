import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand. Invitations: a workspace's admin invites an email, the
 * person accepts with a one-time token (only its SHA-256 is stored). A tenant
 * table under row-level security like the others; the acceptance look-up by
 * token crosses workspaces, so it is a SECURITY DEFINER function returning
 * only a pending, unexpired invitation.
 *
 * A user's default workspace (no x-workspace header) becomes the first one
 * they joined, so joining another never changes it.
 */
const CURRENT = `NULLIF(current_setting('app.workspace_id', true), '')::uuid`;

export class Invitations1795441000000 implements MigrationInterface {
  name = 'Invitations1795441000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "invitation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision" integer NOT NULL DEFAULT '1',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "workspace_id" uuid NOT NULL, "email" text NOT NULL, "role" text NOT NULL, "name" text, "status" text NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "invited_by" text NOT NULL, "token_hash" text NOT NULL,
      CONSTRAINT "PK_invitation" PRIMARY KEY ("id"),
      CONSTRAINT "FK_invitation_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "IDX_invitation_token_hash" ON "invitation" ("token_hash")`);
    await q.query(`CREATE INDEX "IDX_invitation_workspace_id" ON "invitation" ("workspace_id", "created_at")`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON invitation TO icp_app`);
    await q.query(`ALTER TABLE invitation ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE invitation FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY workspace_isolation ON invitation USING (workspace_id = ${CURRENT}) WITH CHECK (workspace_id = ${CURRENT})`,
    );
    await q.query(`CREATE FUNCTION icp_invitation_by_token(p_hash text) RETURNS TABLE (id uuid, workspace_id uuid, slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT i.id, i.workspace_id, w.slug FROM invitation i JOIN workspace w ON w.id = i.workspace_id
         WHERE i.token_hash = p_hash AND i.status = 'PENDING' AND i.expires_at > now()
      $$`);
    // The signed-in user's own pending invitations (by their account's email), across workspaces.
    await q.query(`CREATE FUNCTION icp_invitations_for(p_user uuid) RETURNS TABLE (id uuid, workspace_id uuid, slug text, name text, role text, expires_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT i.id, i.workspace_id, w.slug, w.name, i.role, i.expires_at FROM invitation i
          JOIN workspace w ON w.id = i.workspace_id JOIN app_user u ON u.email = i.email
         WHERE u.id = p_user AND i.status = 'PENDING' AND i.expires_at > now()
         ORDER BY i.created_at
      $$`);
    for (const fn of ['icp_invitation_by_token(text)', 'icp_invitations_for(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO icp_app`);
    }
    await q.query(`CREATE OR REPLACE FUNCTION icp_auth_membership(p_user uuid, p_slug text) RETURNS TABLE (role text, workspace_id uuid, slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT m.role, w.id, w.slug FROM membership m JOIN workspace w ON w.id = m.workspace_id
         WHERE m.user_id = p_user AND (p_slug IS NULL OR w.slug = p_slug)
         ORDER BY m.created_at, w.created_at, w.slug LIMIT 1
      $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION icp_auth_membership(p_user uuid, p_slug text) RETURNS TABLE (role text, workspace_id uuid, slug text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT m.role, w.id, w.slug FROM membership m JOIN workspace w ON w.id = m.workspace_id
         WHERE m.user_id = p_user AND (p_slug IS NULL OR w.slug = p_slug)
         ORDER BY w.created_at, w.slug LIMIT 1
      $$`);
    await q.query(`DROP FUNCTION icp_invitations_for(uuid)`);
    await q.query(`DROP FUNCTION icp_invitation_by_token(text)`);
    await q.query(`DROP TABLE "invitation"`);
  }
}
