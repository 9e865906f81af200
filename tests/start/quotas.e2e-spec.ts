import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { gql, login, ok, type Server, startServer, stopServer } from '../helpers/process';

// Two real API processes on one database share one quota (tests/api/quotas.e2e-spec.ts covers the rest in-process).
const LIMIT = 12;
let a: Server;
let b: Server;

beforeAll(async () => {
  const db = await createTestDatabase();
  const env = { QUOTA_REQUESTS_PER_MINUTE: String(LIMIT) };
  a = await startServer(db, env);
  b = await startServer(db, env);
}, 120_000);

afterAll(async () => {
  expect(await Promise.all([stopServer(a), stopServer(b)])).toEqual([0, 0]);
});

it('a key gets its allowance once, not once per process', async () => {
  const token = await login(a.url, TEST_ADMIN);
  const created = await ok(a.url, 'mutation { createApiKey(input: { name: "crm", role: CLIENT }) { key } }', {}, token);
  const key: string = created.createApiKey.key;
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 8; i++) {
    const r = await gql(
      i % 2 ? b.url : a.url,
      `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`,
      { a: { key: 'x', attributes: { employees: 90, isMsp: true } } },
      key,
    );
    if (r.status === 429) expect(r.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    statuses.push(r.status);
  }
  expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(8).fill(429)]);
}, 60_000);
