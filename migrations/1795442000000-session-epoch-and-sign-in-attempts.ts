import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand.
 * - `app_user.session_epoch`: carried in every session token and checked on
 *   every request; bumped by triggers whenever the password hash changes or a
 *   membership's role changes or the membership goes, by whatever path (a
 *   service, a revert, SQL), so those sessions end. The triggers also NOTIFY
 *   `auth_changed` (delivered on commit) so every process drops its cached
 *   principals. SECURITY DEFINER: the bump is the owner's rule, not a grant.
 * - `sign_in_attempt`: the sign-in limiter's counters (rate-limiter-flexible's
 *   PostgreSQL table layout; keys are digests). Global, not a tenant table.
 * - `icp_auth_user`: the one read of a password hash, for sign-in only.
 */
export class SessionEpochAndSignInAttempts1795442000000 implements MigrationInterface {
  name = 'SessionEpochAndSignInAttempts1795442000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN session_epoch integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE FUNCTION icp_bump_session_epoch_on_password() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
          NEW.session_epoch := OLD.session_epoch + 1;
          PERFORM pg_notify('auth_changed', '{}');
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER app_user_session_epoch BEFORE UPDATE OF password_hash ON app_user
      FOR EACH ROW EXECUTE FUNCTION icp_bump_session_epoch_on_password()`);
    await q.query(`CREATE FUNCTION icp_bump_session_epoch_on_membership() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.role IS DISTINCT FROM OLD.role OR NEW.user_id IS DISTINCT FROM OLD.user_id THEN
          UPDATE app_user SET session_epoch = session_epoch + 1 WHERE id = OLD.user_id;
          PERFORM pg_notify('auth_changed', '{}');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER membership_session_epoch AFTER UPDATE OR DELETE ON membership
      FOR EACH ROW EXECUTE FUNCTION icp_bump_session_epoch_on_membership()`);
    for (const fn of ['icp_bump_session_epoch_on_password()', 'icp_bump_session_epoch_on_membership()']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    }

    await q.query(`CREATE FUNCTION icp_auth_user(p_email text) RETURNS TABLE (id uuid, email text, password_hash text, session_epoch integer)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT u.id, u.email, u.password_hash, u.session_epoch FROM app_user u WHERE u.email = p_email
      $$`);
    await q.query(`CREATE FUNCTION icp_session_epoch(p_user uuid) RETURNS integer
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT session_epoch FROM app_user WHERE id = p_user $$`);
    for (const fn of ['icp_auth_user(text)', 'icp_session_epoch(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO icp_app`);
    }

    await q.query(
      `CREATE TABLE sign_in_attempt (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await q.query(`CREATE INDEX sign_in_attempt_expire ON sign_in_attempt (expire)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_attempt TO icp_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_attempt`);
    await q.query(`DROP FUNCTION icp_session_epoch(uuid)`);
    await q.query(`DROP FUNCTION icp_auth_user(text)`);
    await q.query(`DROP TRIGGER membership_session_epoch ON membership`);
    await q.query(`DROP FUNCTION icp_bump_session_epoch_on_membership()`);
    await q.query(`DROP TRIGGER app_user_session_epoch ON app_user`);
    await q.query(`DROP FUNCTION icp_bump_session_epoch_on_password()`);
    await q.query(`ALTER TABLE app_user DROP COLUMN session_epoch`);
  }
}
