import type { DataSource } from 'typeorm';

/**
 * Tables that belong to one workspace and must be closed to every other:
 * every entity with a workspace_id, and the workspace table itself. Derived
 * from the entities, so a new tenant entity whose migration forgets row-level
 * security stops the start (and the tests).
 */
export function tenantTables(ds: DataSource): string[] {
  return ds.entityMetadatas
    .filter((m) => m.tableName === 'workspace' || m.findColumnWithPropertyName('workspaceId'))
    .map((m) => m.tableName)
    .sort();
}

/**
 * Tables shared by every workspace, without row-level security on purpose,
 * with what the application must be able to do to each. rate_limit: the
 * quota counters (auth/quotas.ts), keyed by principal, holding no workspace
 * content; without these rights quotas would silently count per process only.
 */
export const SHARED_TABLES: Record<string, string[]> = { rate_limit: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] };

async function sharedTableProblems(ds: DataSource, role: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [table, rights] of Object.entries(SHARED_TABLES)) {
    const [t] = await ds.query(
      `SELECT pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [table],
    );
    if (!t) {
      problems.push(`shared table ${table} is missing`);
      continue;
    }
    if (t.owner === role) problems.push(`the application's role "${role}" owns shared table ${table}`);
    for (const right of rights) {
      const [{ ok }] = await ds.query(`SELECT has_table_privilege($1, $2) AS ok`, [table, right]);
      if (!ok) problems.push(`the application's role "${role}" cannot ${right.toLowerCase()} shared table ${table}`);
    }
  }
  return problems;
}

/**
 * Run at every start (and in the tests): the role the application connects
 * as is not a superuser, cannot bypass row-level security, owns no tenant
 * table, and every tenant table has row security enabled and forced; the
 * shared tables exist, are not its own, and it has the rights it needs.
 * Returns every problem found; the server refuses to start on any.
 */
export async function databaseSecurityProblems(ds: DataSource): Promise<string[]> {
  const problems: string[] = [];
  const [role] = await ds.query(
    `SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
  );
  if (role.rolsuper) problems.push(`the application connects as "${role.name}", a superuser`);
  if (role.rolbypassrls) problems.push(`the application's role "${role.name}" has BYPASSRLS`);
  const tables: { relname: string; owner: string; rls: boolean; forced: boolean }[] = await ds.query(
    `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1)`,
    [tenantTables(ds)],
  );
  for (const name of tenantTables(ds)) {
    const t = tables.find((x) => x.relname === name);
    if (!t) problems.push(`tenant table ${name} is missing`);
    else {
      if (t.owner === role.name) problems.push(`the application's role "${role.name}" owns tenant table ${name}`);
      if (!t.rls) problems.push(`tenant table ${name} does not have row-level security enabled`);
      if (!t.forced) problems.push(`tenant table ${name} does not force row-level security`);
    }
  }
  problems.push(...(await sharedTableProblems(ds, role.name)));
  return problems;
}

export async function assertDatabaseSecurity(ds: DataSource): Promise<void> {
  const problems = await databaseSecurityProblems(ds);
  if (problems.length) throw new Error(`Unsafe database set-up, refusing to start: ${problems.join('; ')}`);
}
