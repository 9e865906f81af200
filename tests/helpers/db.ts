import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { prepareDatabase } from '../../api/src/app';
import { createDataSource } from '../../api/src/db/data-source';
import { derivedAppUrl } from '../../api/src/db/roles';
import { createLogger } from '../../api/src/logger';
import { historyKeyring } from '../../api/src/core/history-keys';
import { TEST_HISTORY_KEY } from './process';

export const testLog = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

/** Signs the history of every test database, in-process and in the processes the tests start. */
export const TEST_HISTORY_KEYS = historyKeyring(TEST_HISTORY_KEY);

/** The first admin of every test database. */
export const TEST_ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url)
    throw new Error('TEST_ADMIN_DATABASE_URL is unset: run the tests with `npm test` (jest globalSetup sets it)');
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh database for one test file (its owner's URL), cloned from this run's template (all
 * migrations applied and the demo data loaded). The first caller builds the
 * template under an advisory lock; the others wait for it. One lock for all
 * templates: building one creates and alters the cluster-wide role icp_app,
 * which two builds at once would race on ("tuple concurrently updated").
 */
export async function createTestDatabase(opts: { demo?: boolean } = {}): Promise<string> {
  const runId = process.env.TEST_RUN_ID ?? 'local';
  const template = `icp_test_${runId}_tpl${opts.demo === false ? '_empty' : ''}`;
  const name = `icp_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(hashtext('icp_test_templates'))`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE "${template}"`);
      await prepareDatabase(urlFor(template), {
        loadDemoData: opts.demo !== false,
        adminEmail: TEST_ADMIN.email,
        adminPassword: TEST_ADMIN.password,
        historyKeys: TEST_HISTORY_KEYS,
      });
    }
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('icp_test_templates'))`).catch(() => undefined);
    await admin.end();
  }
  return urlFor(name);
}

/** Runs one statement on a connection of its own to `url`, as that URL's login; the rows. */
export async function sqlAt<T = any>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(query, params)).rows;
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  /** Connected as the application role, as the server is. */
  ds: DataSource;
  /** The owner's URL, for what only the owner may do. */
  ownerUrl: string;
}

export async function openTestDatabase(opts: { demo?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  const ownerUrl = await createTestDatabase(opts);
  const ds = createDataSource({ url: derivedAppUrl(ownerUrl), poolSize: opts.poolSize ?? 5, log: testLog });
  await ds.initialize();
  return { ds, ownerUrl };
}
