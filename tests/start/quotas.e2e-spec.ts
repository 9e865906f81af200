import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { freePort, type Proc, startProcess, waitFor200 } from '../helpers/process';

// Two real API processes on one database share one quota (tests/api/quotas.e2e-spec.ts covers the rest in-process).
const LIMIT = 12;
let a: { proc: Proc; url: string };
let b: { proc: Proc; url: string };

async function start(databaseUrl: string) {
  const port = await freePort();
  const proc = startProcess({
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    QUOTA_REQUESTS_PER_MINUTE: String(LIMIT),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, 60_000, proc);
  return { proc, url };
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return {
    status: res.status,
    body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] },
  };
}

beforeAll(async () => {
  const db = await createTestDatabase();
  a = await start(db);
  b = await start(db);
}, 120_000);

afterAll(async () => {
  for (const p of [a, b]) p?.proc.child.kill('SIGTERM');
  expect(await a.proc.exited).toBe(0);
  expect(await b.proc.exited).toBe(0);
});

it('a key gets its allowance once, not once per process', async () => {
  const login = await post(a.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: TEST_ADMIN.email,
    p: TEST_ADMIN.password,
  });
  const created = await post(
    a.url,
    'mutation { createApiKey(input: { name: "crm", role: CLIENT }) { key } }',
    {},
    login.body.data.login.token,
  );
  const key: string = created.body.data.createApiKey.key;
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 8; i++) {
    const r = await post(
      i % 2 ? b.url : a.url,
      `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`,
      { a: { key: 'x', attributes: { employees: 90, isMsp: true } } },
      key,
    );
    if (r.status === 429) expect(r.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    statuses.push(r.status);
  }
  expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(8).fill(429)]);
}, 60_000);
