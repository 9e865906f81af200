import fs from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  const embedded = globalThis.__ICP_TEST_PG__;
  if (embedded) {
    await embedded.pg.stop();
    fs.rmSync(embedded.dir, { recursive: true, force: true });
    return;
  }
  // On a shared server, drop what this run created.
  if (!url || !runId) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`icp_test_${runId}%`]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await client.end();
}
