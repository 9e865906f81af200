import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';
import { queryCount } from '../../api/src/db/data-source';

let t: TestServer;

const LIST = `query($limit: Int!) {
  icps(limit: $limit) {
    slug
    tiers { name rank personas { name } }
    personas { name tier { name } }
    useCasePatterns { name }
    disqualifiers { name }
    triggerEvents { name }
    scoringDimensions { name rules { name } }
    bands { name }
  }
}`;

async function seedWorkspace(slug: string, icps: number): Promise<Record<string, string>> {
  const { headers } = await newWorkspace(t, slug);
  for (let i = 0; i < icps; i++) {
    const icpId = await newIcp(t, headers, `icp-${i}`);
    const tier = (await t.ok(entityOps('Tier').create, { input: { icpId, rank: 1, name: 'T1' } }, headers)).r.id;
    await t.ok(entityOps('Tier').create, { input: { icpId, rank: 2, name: 'T2' } }, headers);
    await t.ok(entityOps('Persona').create, { input: { icpId, tierId: tier, name: 'Buyer' } }, headers);
    await t.ok(entityOps('Persona').create, { input: { icpId, name: 'Champion' } }, headers);
    await t.ok(entityOps('UseCasePattern').create, { input: { icpId, name: 'Pattern' } }, headers);
    const dim = (await t.ok(entityOps('ScoringDimension').create, { input: { icpId, name: 'D', max: 10 } }, headers)).r
      .id;
    await t.ok(entityOps('ScoringRule').create, { input: { dimensionId: dim, name: 'R', points: '1' } }, headers);
  }
  return headers;
}

async function queriesFor(
  headers: Record<string, string>,
  limit: number,
): Promise<{ n: number; icps: number; all: number }> {
  const before = t.queries();
  const allBefore = queryCount(t.ds);
  const data = await t.ok(LIST, { limit }, headers);
  // Give the webhook worker time for a few polls while the request's count is read.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { n: t.queries() - before, icps: data.icps.length, all: queryCount(t.ds) - allBefore };
}

beforeAll(async () => {
  // The webhook worker polls every 10 ms: statements in the background, which a request's count must not include.
  const webhooks = { allowHosts: [], pollMs: 10, timeoutMs: 1000, maxAttempts: 1, retryBaseMs: 1000 };
  t = await startTestServer({ demo: false, config: { webhooks } });
});
afterAll(() => t.close());

it('lists 50 ICPs with all their parts in as many SQL queries as 5 (no query per parent)', async () => {
  const five = await queriesFor(await seedWorkspace('five', 5), 500);
  const fifty = await queriesFor(await seedWorkspace('fifty', 50), 500);
  expect(five.icps).toBe(5);
  expect(fifty.icps).toBe(50);
  expect(fifty.n).toBe(five.n);
  // BEGIN and set_config (the workspace, for row-level security), one for the ICPs,
  // one per nested field kind, COMMIT.
  expect(five.n).toBeLessThanOrEqual(15);
  // And the count is a count: at least BEGIN, set_config, the ICPs' query and COMMIT.
  expect(five.n).toBeGreaterThanOrEqual(4);
  // The process sent more meanwhile (the worker's polls), none of it counted as the request's.
  expect(fifty.all).toBeGreaterThan(fifty.n);
  // About 500 signed writes set up the two workspaces: minutes on a loaded machine, and nothing here is timed.
}, 300_000);
