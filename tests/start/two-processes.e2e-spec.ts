import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { login, ok, type Server, startServer, stopServer } from '../helpers/process';

// Two API processes on one database, as behind a load balancer.
let a: Server;
let b: Server;
let token: string;

const gql = (url: string, query: string, variables: Record<string, unknown> = {}) => ok(url, query, variables, token);

beforeAll(async () => {
  const db = await createTestDatabase();
  // One after the other: the second finds the schema and the demo data in place.
  a = await startServer(db);
  b = await startServer(db);
  // Signed in on A; the same session works on B (both read the signing key from the database).
  token = await login(a.url, TEST_ADMIN);
}, 120_000);

afterAll(async () => {
  expect(await Promise.all([stopServer(a), stopServer(b)])).toEqual([0, 0]);
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
