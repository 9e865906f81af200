import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { freePort, type Proc, startProcess, waitFor200 } from '../helpers/process';

// Two API processes on one database, as behind a load balancer.
let a: { proc: Proc; url: string };
let b: { proc: Proc; url: string };

async function start(databaseUrl: string) {
  const port = await freePort();
  const proc = startProcess({ PORT: String(port), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, 60_000, proc);
  return { proc, url };
}

let token: string;

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

beforeAll(async () => {
  const db = await createTestDatabase();
  // One after the other: the second finds the schema and the demo data in place.
  a = await start(db);
  b = await start(db);
  // Signed in on A; the same session works on B (both derive the signing key from DATABASE_URL).
  token = (
    await gql(a.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: TEST_ADMIN.email,
      p: TEST_ADMIN.password,
    })
  ).login.token;
}, 120_000);

afterAll(async () => {
  for (const p of [a, b]) p?.proc.child.kill('SIGTERM');
  expect(await a.proc.exited).toBe(0);
  expect(await b.proc.exited).toBe(0);
});

it('a version published on one process is what the other scores within a second', async () => {
  const SCORE = `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { icpVersion tier { name } } }`;
  const account = { key: 'msp-1', attributes: { employees: 90, isMsp: true } };
  // Warm B's cache on version 1.
  expect((await gql(b.url, SCORE, { a: account })).fitScore).toEqual({
    icpVersion: 1,
    tier: { name: 'Secondary ICP: Managed Service Providers (MSPs)' },
  });

  // On A: the MSP segment now needs 100+ employees; the MSP example is updated to match; publish.
  const { icpBySlug } = await gql(
    a.url,
    `{ icpBySlug(idOrSlug: "itsm") { tiers { id rank revision } exampleAccounts { id name revision } } }`,
  );
  const msp = icpBySlug.tiers.find((t: { rank: number }) => t.rank === 2);
  await gql(
    a.url,
    `mutation($id: ID!, $r: Int!) { updateTier(id: $id, expectedRevision: $r, input: { criteria: "account.isMsp && account.employees >= 100" }) { id } }`,
    { id: msp.id, r: msp.revision },
  );
  const example = icpBySlug.exampleAccounts.find((e: { name: string }) => e.name.startsWith('MSP'));
  await gql(
    a.url,
    `mutation($id: ID!, $r: Int!) { updateExampleAccount(id: $id, expectedRevision: $r, input: { attributes: { employees: 150, isMsp: true } }) { id } }`,
    { id: example.id, r: example.revision },
  );
  // Not yet published: B still scores version 1.
  expect((await gql(b.url, SCORE, { a: account })).fitScore.icpVersion).toBe(1);

  await gql(a.url, `mutation { publishIcp(icp: "itsm", changelog: "MSPs from 100 employees") { version } }`);
  const published = Date.now();
  let seen: { icpVersion: number; tier: unknown } | undefined;
  while (Date.now() - published < 5000) {
    seen = (await gql(b.url, SCORE, { a: account })).fitScore;
    if (seen?.icpVersion === 2) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const lag = Date.now() - published;
  expect(seen).toEqual({ icpVersion: 2, tier: null });
  expect(lag).toBeLessThan(1000);
}, 60_000);
