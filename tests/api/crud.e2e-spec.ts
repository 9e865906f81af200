import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
let h: Record<string, string>;
let icpId: string;
let tierId: string;
let dimensionId: string;

beforeAll(async () => {
  t = await startTestServer({ demo: false });
  ({ headers: h } = await newWorkspace(t, 'crud'));
  icpId = await newIcp(t, h, 'crud-icp');
  tierId = (
    await t.ok(
      entityOps('Tier').create,
      { input: { icpId, rank: 1, name: 'Tier 1', criteria: 'account.employees > 10' } },
      h,
    )
  ).r.id;
  dimensionId = (await t.ok(entityOps('ScoringDimension').create, { input: { icpId, name: 'Fit', max: 10 } }, h)).r.id;
});
afterAll(() => t.close());

// Each entity: a valid input, a change to apply, and a field to read back.
const CASES: {
  type: string;
  plural: string;
  input: () => Record<string, unknown>;
  change: Record<string, unknown>;
  field: string;
}[] = [
  {
    type: 'AttributeDefinition',
    plural: 'attributeDefinitions',
    input: () => ({ name: 'seats', type: 'INT', unit: 'people' }),
    change: { description: 'Licensed seats' },
    field: 'description',
  },
  {
    type: 'Icp',
    plural: 'icps',
    input: () => ({ slug: 'second', name: 'Second ICP', valuePropositions: ['Faster'] }),
    change: { name: 'Second ICP, renamed' },
    field: 'name',
  },
  {
    type: 'Tier',
    plural: 'tiers',
    input: () => ({ icpId, rank: 2, name: 'Tier 2', focusShare: 0.2, profile: [{ label: 'Revenue', value: '$10M+' }] }),
    change: { action: 'Nurture' },
    field: 'action',
  },
  {
    type: 'Persona',
    plural: 'personas',
    input: () => ({ icpId, tierId, name: 'CFO', buyingRoles: ['ECONOMIC_BUYER'], objections: ['Price'] }),
    change: { quote: 'Show me the ROI.' },
    field: 'quote',
  },
  {
    type: 'UseCasePattern',
    plural: 'useCasePatterns',
    input: () => ({ icpId, name: 'Retail', industries: ['Retail'], useCases: ['Pricing'] }),
    change: { keyMetrics: ['Conversion'] },
    field: 'keyMetrics',
  },
  {
    type: 'Disqualifier',
    plural: 'disqualifiers',
    input: () => ({ icpId, name: 'Too small', expression: 'account.employees < 10' }),
    change: { reason: 'Cannot pay' },
    field: 'reason',
  },
  {
    type: 'TriggerEvent',
    plural: 'triggerEvents',
    input: () => ({ icpId, name: 'Funding', expression: "'funding_round' in account.signals" }),
    change: { category: 'Company' },
    field: 'category',
  },
  {
    type: 'ScoringDimension',
    plural: 'scoringDimensions',
    input: () => ({ icpId, name: 'Budget', max: 5 }),
    change: { max: 8 },
    field: 'max',
  },
  {
    type: 'ScoringRule',
    plural: 'scoringRules',
    input: () => ({ dimensionId, name: 'Big', condition: 'account.employees > 100', points: '5' }),
    change: { points: '7' },
    field: 'points',
  },
  {
    type: 'ActionBand',
    plural: 'actionBands',
    input: () => ({ icpId, name: 'Pursue', minScore: 5, action: 'Call' }),
    change: { action: 'Call today' },
    field: 'action',
  },
];

describe.each(CASES)('$type', ({ type, plural, input, change, field }) => {
  const ops = entityOps(type);

  it('creates, reads, lists with a count, updates with its revision, refuses a stale revision, deletes', async () => {
    const created = (await t.ok(ops.create, { input: input() }, h)).r;
    expect(created.revision).toBe(1);

    const listed = await t.ok(`{ ${plural}(limit: 500) { id } }`, {}, h);
    expect(listed[plural].map((r: { id: string }) => r.id)).toContain(created.id);
    const n = (await t.ok(ops.count, { filter: { ids: [created.id] } }, h)).n;
    expect(n).toBe(1);

    const updated = (await t.ok(ops.update, { id: created.id, rev: 1, input: change }, h)).r;
    expect(updated.revision).toBe(2);
    const read = (await t.ok(ops.get(field), { id: created.id }, h)).r;
    expect(read[field]).toEqual(Object.values(change)[0]);

    const stale = await t.gql(ops.update, { id: created.id, rev: 1, input: change }, h);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(stale.errors?.[0].message).toContain('the current revision is 2');
    expect(stale.errors?.[0].extensions?.currentRevision).toBe(2);

    const staleDelete = await t.gql(ops.remove, { id: created.id, rev: 1 }, h);
    expect(staleDelete.errors?.[0].extensions?.code).toBe('CONFLICT');
    await t.ok(ops.remove, { id: created.id, rev: 2 }, h);
    const gone = await t.gql(ops.get(field), { id: created.id }, h);
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('lists', () => {
  beforeAll(async () => {
    for (const [i, name] of ['Charlie', 'alpha', 'Bravo'].entries()) {
      await t.ok(
        entityOps('Persona').create,
        { input: { icpId, name, buyingRoles: [i === 0 ? 'CHAMPION' : 'USER'], description: `persona ${name}` } },
        h,
      );
    }
  });

  it('filters, searches, sorts and pages', async () => {
    const q = `query($f: PersonaFilter, $s: [PersonaSort!], $o: Int, $l: Int) { personas(filter: $f, sort: $s, offset: $o, limit: $l) { name } personaCount(filter: $f) }`;
    const byName = await t.ok(q, { f: { icpId }, s: [{ field: 'name', order: 'DESC' }], o: 0, l: 2 }, h);
    expect(byName.personas.map((p: { name: string }) => p.name)).toEqual(['Charlie', 'Bravo']);
    expect(byName.personaCount).toBe(3);
    const next = await t.ok(q, { f: { icpId }, s: [{ field: 'name', order: 'DESC' }], o: 2, l: 2 }, h);
    expect(next.personas.map((p: { name: string }) => p.name)).toEqual(['alpha']);
    const champions = await t.ok(q, { f: { icpId, buyingRoles: 'CHAMPION' } }, h);
    expect(champions.personas.map((p: { name: string }) => p.name)).toEqual(['Charlie']);
    const search = await t.ok(q, { f: { q: 'BRAV' } }, h);
    expect(search.personas.map((p: { name: string }) => p.name)).toEqual(['Bravo']);
  });

  it('refuses an unknown sort field and a page too large, naming them', async () => {
    // The schema lists the sortable fields (PersonaSortField): GraphQL itself refuses another.
    const bad = await t.gql(`{ personas(sort: [{ field: salary }]) { id } }`, {}, h);
    expect(bad.errors?.[0].message).toMatch(/Value "salary" does not exist in "PersonaSortField" enum/);
    const big = await t.gql(`{ personas(limit: 100000) { id } }`, {}, h);
    expect(big.errors?.[0].message).toContain('limit: must be between 1 and 500');
  });

  it('resolves nested fields: tier personas, persona tier, dimension rules, ICP parts', async () => {
    const data = await t.ok(
      `query($id: ID!) { icp(id: $id) { slug tiers { name personas { name } icp { slug } } scoringDimensions { name rules { name } } } }`,
      { id: icpId },
      h,
    );
    expect(data.icp.tiers[0].icp.slug).toBe('crud-icp');
    expect(data.icp.scoringDimensions.map((d: { name: string }) => d.name)).toContain('Fit');
  });
});
