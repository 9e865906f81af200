import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const MAIN = path.join(ROOT, 'dist/api/src/main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The history signing key of every test database (HISTORY_SIGNING_KEY of the processes tests start). */
export const TEST_HISTORY_KEY = '7e57'.repeat(16);

/** Starts the built API (compiled by the tests' global setup) as its own process, the way `npm start` runs it. */
/** Where test servers keep scheduled checkpoints unless told (never the repository's .data). */
export const TEST_CHECKPOINT_DIR = path.join(os.tmpdir(), 'icp-test-checkpoints');

export function startProcess(env: Record<string, string>): Proc {
  const { DATABASE_URL: _ignored, ...parent } = process.env;
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...parent,
      LOG_LEVEL: 'info',
      HISTORY_SIGNING_KEY: TEST_HISTORY_KEY,
      CHECKPOINT_DIR: TEST_CHECKPOINT_DIR,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls a URL until it answers 200; returns the milliseconds it took. */
export async function waitFor200(url: string, timeoutMs: number, proc?: Proc): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (proc?.child.exitCode !== null && proc?.child.exitCode !== undefined) {
      throw new Error(`process exited with ${proc.child.exitCode} before ${url} answered:\n${proc.output()}`);
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${proc?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Server {
  proc: Proc;
  url: string;
  pid: number;
}

/** The built server (dist/api/src/main.js) as its own process on `databaseUrl`, on a free port, ready. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const proc = startProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, 60_000, proc);
  return { proc, url, pid: proc.child.pid! };
}

/** Stops a server (SIGTERM unless told); its exit code. */
export async function stopServer(s: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!s || s.proc.child.exitCode !== null) return s?.proc.child.exitCode ?? null;
  s.proc.child.kill(signal);
  return s.proc.exited;
}

export interface Reply<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
  ms: number;
  /** The request did not get an HTTP answer at all (connection refused or reset). */
  network?: string;
}

/** A GraphQL request over fetch to a server process: never throws, says what came back. */
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
export async function ok<T = any>(...args: Parameters<typeof gql<T>>): Promise<T> {
  const r = await gql<T>(...args);
  if (r.network || r.errors?.length || !r.data)
    throw new Error(`GraphQL failed: ${r.network ?? JSON.stringify(r.errors)}`);
  return r.data;
}

/** A session token for a user of a server process, through the login mutation. */
export async function login(url: string, user: { email: string; password: string }): Promise<string> {
  const d = await ok(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: user.email,
    p: user.password,
  });
  return d.login.token;
}
