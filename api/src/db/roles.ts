import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * The application never connects as the owner of its tables. Migrations run
 * as the owner (DATABASE_URL) and grant the role below what the app may do:
 * read and write the domain tables, only insert into and read the history.
 * Unless APP_DATABASE_URL names a login of your own (a member of icp_app),
 * the app logs in as icp_app with a password derived from DATABASE_URL, so
 * every process given the same DATABASE_URL agrees on it.
 */
export const APP_ROLE = 'icp_app';

export function derivedAppUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  // Roles belong to the server, not to one database: derive from the server and the owner's credentials only.
  const password = createHash('sha256')
    .update(`icp_app:${url.username}:${url.password}@${url.hostname}:${url.port}`)
    .digest('hex');
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

/** Lets icp_app log in with the derived password (needs CREATEROLE; the owner of a fresh database has it). */
export async function enableAppLogin(owner: DataSource, ownerUrl: string): Promise<string> {
  const appUrl = derivedAppUrl(ownerUrl);
  const password = decodeURIComponent(new URL(appUrl).password);
  try {
    await owner.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
  } catch (e) {
    throw new Error(
      `Could not let the role ${APP_ROLE} log in (${(e as Error).message}). ` +
        `Either give the DATABASE_URL user CREATEROLE, or create a login that is a member of ${APP_ROLE} and set APP_DATABASE_URL to it.`,
      { cause: e },
    );
  }
  return appUrl;
}
