import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../api/src/config';
import { createDataSource } from '../../api/src/db/data-source';
import { derivedAppUrl } from '../../api/src/db/roles';
import { databaseSecurityProblems } from '../../api/src/db/security-check';
import { createServer, type AppServer } from '../../api/src/server';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { SharedCounter } from '../../api/src/auth/shared-counter';
import { testLog } from '../helpers/db';
import { startTestServer, type TestServer, TEST_SECRET } from '../helpers/server';

// Small quotas and a short window, so exhausting one and seeing it reset takes seconds.
const QUOTAS = { quotaRequestsPerMinute: 12, quotaAccountsPerMinute: 30, quotaWindowSeconds: 8, quotaFlushMs: 50 };

let t: TestServer;
// A second server on the same database: another process behind the load balancer.
let other: { server: AppServer; ds: DataSource; url: string };

beforeAll(async () => {
  t = await startTestServer({ config: QUOTAS });
  const ds = createDataSource({ url: derivedAppUrl(t.ownerUrl), poolSize: 3, log: testLog });
  await ds.initialize();
  const server = await createServer(
    { ...loadConfig({ NODE_ENV: 'test' }), port: 0, ...QUOTAS },
    ds,
    testLog,
    TEST_SECRET,
  );
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  other = { server, ds, url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}` };
}, 60_000);

afterAll(async () => {
  await other?.server.stop();
  await other?.ds.destroy();
  await t?.close();
});

const ACCOUNT = { key: 'msp-1', attributes: { employees: 90, isMsp: true } };
const SCORE = `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`;
const SCORES = `query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { score } }`;

/** A fresh CLIENT key: its own allowance, its window starting at its first request. */
async function newKey(name: string): Promise<string> {
  const { createApiKey } = await t.ok(
    `mutation($n: String!) { createApiKey(input: { name: $n, role: CLIENT }) { key } }`,
    { n: name },
  );
  return createApiKey.key;
}

interface Reply {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(key: string, query: string, variables: Record<string, unknown>, url = t.baseUrl): Promise<Reply> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Reply['body'] };
}

const scoreOne = (key: string, url?: string) => post(key, SCORE, { a: ACCOUNT }, url);
const scoreMany = (key: string, n: number) =>
  post(key, SCORES, { as: Array.from({ length: n }, (_, i) => ({ ...ACCOUNT, key: `a${i}` })) });

function expectRefused(r: Reply, quota: 'requests' | 'accounts', limit: number) {
  expect(r.status).toBe(429);
  const [error] = r.body.errors!;
  expect(error.extensions?.code).toBe('TOO_MANY_REQUESTS');
  expect(error.message).toContain(`${quota} quota`);
  expect(error.message).toMatch(/retry in \d+ s/);
  expect(error.extensions).toMatchObject({ quota, limit });
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(QUOTAS.quotaWindowSeconds);
  expect(r.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(r.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(r.headers.get('ratelimit-reset'))).toBe(retryAfter);
}

it('a key over its request quota gets 429 with Retry-After and RateLimit headers; answers before carry them too', async () => {
  const key = await newKey('requests');
  for (let i = 1; i <= QUOTAS.quotaRequestsPerMinute; i++) {
    const r = await scoreOne(key);
    expect([i, r.status, r.body.errors]).toEqual([i, 200, undefined]);
    expect(r.headers.get('ratelimit-limit')).toBe(String(QUOTAS.quotaRequestsPerMinute));
    expect(r.headers.get('ratelimit-remaining')).toBe(String(QUOTAS.quotaRequestsPerMinute - i));
  }
  expectRefused(await scoreOne(key), 'requests', QUOTAS.quotaRequestsPerMinute);
});

it('a key over its accounts quota gets 429; a refused call uses none of the allowance', async () => {
  const key = await newKey('accounts');
  expect((await scoreMany(key, 25)).status).toBe(200);
  const refused = await scoreMany(key, 10);
  expectRefused(refused, 'accounts', QUOTAS.quotaAccountsPerMinute);
  expect(refused.body.data?.fitScores ?? null).toBeNull();
  // 25 + 5 = 30: exactly the allowance, since the refused 10 were not counted.
  expect((await scoreMany(key, 5)).status).toBe(200);
  expectRefused(await scoreOne(key), 'accounts', QUOTAS.quotaAccountsPerMinute);
});

it('simulating a draft counts its accounts against the same quota', async () => {
  const { createApiKey } = await t.ok(
    `mutation { createApiKey(input: { name: "editor", role: STRATEGY_OWNER }) { key } }`,
  );
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ ...ACCOUNT, key: `s${i}` }));
  const simulate = (n: number) =>
    post(
      createApiKey.key,
      `query($as: [AccountInput!]!) { simulateIcp(icp: "itsm", accounts: $as) { summary { total } } }`,
      { as: accounts(n) },
    );
  expect((await simulate(20)).status).toBe(200);
  expectRefused(await simulate(11), 'accounts', QUOTAS.quotaAccountsPerMinute);
  expect((await scoreMany(createApiKey.key, 10)).status).toBe(200);
});

it('two servers on one database share one allowance', async () => {
  const key = await newKey('shared');
  let allowed = 0;
  for (let i = 0; i < QUOTAS.quotaRequestsPerMinute + 6; i++) {
    const r = await scoreOne(key, i % 2 ? other.url : t.baseUrl);
    if (r.status === 200) allowed++;
    else expect(r.status).toBe(429);
  }
  expect(allowed).toBe(QUOTAS.quotaRequestsPerMinute);
  // And concurrently, from both at once: still no more than the allowance in a fresh window.
  const key2 = await newKey('shared-concurrent');
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) => scoreOne(key2, i % 2 ? other.url : t.baseUrl)),
  );
  expect(replies.filter((r) => r.status === 200).length).toBe(QUOTAS.quotaRequestsPerMinute);
  expect(replies.every((r) => r.status === 200 || r.status === 429)).toBe(true);
});

it('the window resets: after Retry-After the key is served again', async () => {
  const key = await newKey('reset');
  let refused: Reply | undefined;
  for (let i = 0; i <= QUOTAS.quotaRequestsPerMinute && !refused; i++) {
    const r = await scoreOne(key);
    if (r.status === 429) refused = r;
  }
  expect(refused).toBeDefined();
  await new Promise((r) => setTimeout(r, Number(refused!.headers.get('retry-after')) * 1000 + 100));
  const again = await scoreOne(key);
  expect(again.status).toBe(200);
  expect(again.headers.get('ratelimit-remaining')).toBe(String(QUOTAS.quotaRequestsPerMinute - 1));
}, 30_000);

it("one principal's exhaustion does not limit another", async () => {
  const [spent, fresh] = [await newKey('spent'), await newKey('fresh')];
  for (let i = 0; i < 2 * QUOTAS.quotaRequestsPerMinute && (await scoreOne(spent)).status === 200; i++);
  expect((await scoreOne(spent)).status).toBe(429);
  expect((await scoreOne(fresh)).status).toBe(200);
  // The signed-in admin (a user, counted apart from every key).
  expect((await t.gql(SCORE, { a: ACCOUNT })).errors).toBeUndefined();
});

it('the quota store failing does not turn requests into 500s: each process still counts on its own', async () => {
  const key = await newKey('store-down');
  // The quota table becomes unreachable for the application (as when PostgreSQL is gone for it).
  await t.sql('REVOKE ALL ON rate_limit FROM icp_app');
  try {
    const statuses: number[] = [];
    for (let i = 0; i < QUOTAS.quotaRequestsPerMinute + 3; i++) statuses.push((await scoreOne(key)).status);
    // Fail-open to a per-process count: served up to the allowance, then refused, never a 500.
    expect(statuses.filter((s) => s === 200).length).toBe(QUOTAS.quotaRequestsPerMinute);
    expect(statuses.slice(QUOTAS.quotaRequestsPerMinute)).toEqual([429, 429, 429]);
    // The start-up check would have refused this set-up, saying why.
    expect(await databaseSecurityProblems(t.ds)).toEqual([
      expect.stringMatching(/icp_app.*cannot select shared table rate_limit/),
      expect.stringMatching(/cannot insert/),
      expect.stringMatching(/cannot update/),
      expect.stringMatching(/cannot delete/),
    ]);
  } finally {
    await t.sql('GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit TO icp_app');
  }
  expect(await databaseSecurityProblems(t.ds)).toEqual([]);
});

it('above 20 a process counts in batches: two of them overshoot by at most 2 × batch, and PostgreSQL ends with every allowed point', async () => {
  const limit = 100;
  const errors: unknown[] = [];
  // Two counters over the same table and key, as two processes would have: they share nothing in memory.
  const counter = () =>
    new SharedCounter({
      limit,
      windowMs: 20_000,
      store: new RateLimiterPostgres({
        storeClient: t.ds,
        storeType: 'typeorm',
        tableName: 'rate_limit',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: 'batch-test',
        points: limit,
        duration: 20,
      }),
      onStoreError: (e) => errors.push(e),
    });
  const processes = [counter(), counter()];
  expect(processes[0].batch).toBe(5);
  const flusher = setInterval(() => processes.forEach((p) => void p.flushAll()), 20);
  let allowed = 0;
  try {
    for (let round = 0; round < 30; round++) {
      const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => processes[i % 2].take('k', 1)));
      allowed += decisions.filter((d) => d.allowed).length;
      await new Promise((r) => setTimeout(r, 3));
    }
  } finally {
    clearInterval(flusher);
  }
  await Promise.all(processes.map((p) => p.flushAll()));
  expect(errors).toEqual([]);
  expect(allowed).toBeGreaterThanOrEqual(limit);
  expect(allowed).toBeLessThanOrEqual(limit + 2 * processes[0].batch);
  const [row] = await t.sql(`SELECT points FROM rate_limit WHERE key = 'batch-test:k'`);
  expect(row.points).toBe(allowed);
});

it('PostgreSQL refusing the pool: warm scoring goes on, the quota still counts per process, never a 500', async () => {
  const key = await newKey('db-down');
  for (let i = 0; i < 3; i++) expect((await scoreOne(key)).status).toBe(200);
  const database = new URL(t.ownerUrl).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    // No new connection for the application ("too many connections"), and every pooled one cut. The
    // LISTEN connections stay, so the caches (key, compiled model) stay and warm scoring needs no SQL:
    // what the quota store does when it cannot reach PostgreSQL decides the answer.
    await admin.query(`ALTER DATABASE "${database}" CONNECTION LIMIT 0`);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%'`,
      [database],
    );
    const replies: { status: number; ms: number }[] = [];
    for (let i = 0; i < QUOTAS.quotaRequestsPerMinute; i++) {
      const started = Date.now();
      replies.push({ status: (await scoreOne(key)).status, ms: Date.now() - started });
    }
    // Fail-open to this process's own count: the 9 left of 12, then refusals.
    expect(replies.map((r) => r.status)).toEqual([
      ...Array(QUOTAS.quotaRequestsPerMinute - 3).fill(200),
      429,
      429,
      429,
    ]);
    // At most one wait for the pool (DB_POOL_WAIT_MS, 2 s); then the store is left alone for a second.
    expect(replies.filter((r) => r.ms > 1000).length).toBeLessThanOrEqual(1);
  } finally {
    await admin.query(`ALTER DATABASE "${database}" CONNECTION LIMIT -1`);
    await admin.end();
  }
}, 60_000);
