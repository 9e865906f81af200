import { partTypes } from '../../api/src/modules/icp/icp-parts';
import { entityOps, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
let h: Record<string, string>;
beforeAll(async () => {
  t = await startTestServer({ demo: false });
  ({ headers: h } = await newWorkspace(t, 'parts'));
});
afterAll(() => t.close());

/** An ICP with records of every part (keep one per part in api/src/modules/icp/icp-parts.ts). */
const EVERY_PART = `
slug: every-part
name: Every part
tiers:
  - { name: Tier 1, rank: 1, criteria: account.employees >= 100 }
  - { name: Tier 2, rank: 2 }
personas:
  - { name: CIO, tier: Tier 1 }
  - { name: CFO }
useCasePatterns:
  - { name: Service desk }
disqualifiers:
  - { name: Too small, expression: account.employees < 5 }
triggerEvents:
  - { name: Funding, expression: "'funding' in account.signals" }
scoring:
  dimensions:
    - name: Size
      max: 10
      rules:
        - { name: Big, condition: account.employees >= 100, points: "10" }
        - { name: Any, points: "1" }
    - { name: Empty, max: 5 }
  bands:
    - { name: Hot, minScore: 5, action: Call }
exampleAccounts:
  - { name: Acme, attributes: { employees: 500 }, expectedTier: Tier 1, expectedBand: Hot }
`;

const HISTORY = `query($f: HistoryFilter) { history(filter: $f, limit: 500) { entityType entityId action } }`;
type Rev = { entityType: string; entityId: string; action: string };

describe('the parts of an ICP (one registry: api/src/modules/icp/icp-parts.ts)', () => {
  it('deleting an ICP deletes every row of every part, each with its revision', async () => {
    const { importIcp } = await t.ok(
      `mutation($y: String!) { importIcp(yaml: $y) { icp { id revision } } }`,
      { y: EVERY_PART },
      h,
    );
    const icp = importIcp.icp;
    const created: Rev[] = (await t.ok(HISTORY, { f: { icpId: icp.id, actions: ['CREATE'] } }, h)).history;
    const rows = created.filter((r) => r.entityType !== 'Icp');
    // The fixture must hold every part: a new part needs its records above.
    expect([...new Set(rows.map((r) => r.entityType))].sort()).toEqual([...partTypes()].sort());

    await t.ok(entityOps('Icp').remove, { id: icp.id, rev: icp.revision }, h);
    const deleted: Rev[] = (await t.ok(HISTORY, { f: { icpId: icp.id, actions: ['DELETE'] } }, h)).history;
    const key = (r: Rev) => `${r.entityType} ${r.entityId}`;
    expect(deleted.map(key).sort()).toEqual([...rows.map(key), `Icp ${icp.id}`].sort());
    // Children went before their parents: each rule before its dimension, each persona before its tier.
    const at = (type: string) => deleted.map((r) => r.entityType).lastIndexOf(type);
    const first = (type: string) => deleted.map((r) => r.entityType).indexOf(type);
    expect(at('ScoringDimension')).toBeLessThan(first('ScoringRule')); // newest first
    expect(at('Tier')).toBeLessThan(first('Persona'));
  });
});
