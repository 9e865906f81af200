import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// Issue 14: provenance on every ICP part; personas with several roles and a condition; ICP competitors.
let t: TestServer;
let h: Record<string, string>;
let icpId: string;
beforeAll(async () => {
  t = await startTestServer();
  ({ headers: h } = await newWorkspace(t, 'provenance'));
  icpId = await newIcp(t, h, 'prov-icp');
});
afterAll(() => t.close());

const problemsOf = async (type: string, input: Record<string, unknown>) => {
  const res = await t.gql(entityOps(type).create, { input }, h);
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  return res.errors?.[0].extensions?.problems;
};

describe('provenance', () => {
  it('is stored on a part and read back; a part from a source reads as not derived', async () => {
    const provenance = { document: 'Seed 004: DriftSentry ICP', section: 'Anti-ICP (Who NOT to Target)' };
    const { r } = await t.ok(
      entityOps('Disqualifier').create,
      { input: { icpId, name: 'Tiny', expression: 'account.employees < 10', provenance } },
      h,
    );
    const got = await t.ok(entityOps('Disqualifier').get('provenance { derived document section reasoning }'), r, h);
    expect(got.r.provenance).toEqual({ ...provenance, derived: false, reasoning: null });
  });

  it('refuses a derived part without its reasoning, and a sourced part without document and section', async () => {
    expect(
      await problemsOf('ScoringDimension', { icpId, name: 'Fit', max: 10, provenance: { derived: true } }),
    ).toEqual([
      {
        path: 'input.provenance.reasoning',
        message: 'is required when derived is true: say why this part was added or how it was read',
      },
    ]);
    expect(await problemsOf('Tier', { icpId, rank: 1, name: 'T1', provenance: { document: 'Seed 003' } })).toEqual([
      {
        path: 'input.provenance.section',
        message: 'is required unless derived is true: name the source section this part comes from',
      },
    ]);
  });

  it('travels in the ICP file: export writes it, an import reads it back unchanged', async () => {
    await t.ok(
      entityOps('Icp').update,
      {
        id: icpId,
        rev: 1,
        input: { competitors: ['SageMaker'], provenance: { derived: true, reasoning: 'A test ICP.' } },
      },
      h,
    );
    const { exportIcp } = await t.ok(`query { exportIcp(icp: "prov-icp") }`, {}, h);
    expect(exportIcp).toContain('competitors:\n  - SageMaker\nprovenance:\n  derived: true\n  reasoning: A test ICP.');
    expect(exportIcp).toContain('provenance:\n      document: "Seed 004: DriftSentry ICP"');
    const { importIcp } = await t.ok(
      `mutation($y: String!) { importIcp(yaml: $y, dryRun: true) { changes { name } } }`,
      { y: exportIcp },
      h,
    );
    expect(importIcp.changes).toEqual([]);
  });
});

describe('personas: several buying roles, a condition', () => {
  it('holds several roles, filters by one, and still reads the first as buyingRole', async () => {
    const { r } = await t.ok(
      entityOps('Persona').create,
      { input: { icpId, name: 'Security team', buyingRoles: ['INFLUENCER', 'BLOCKER'] } },
      h,
    );
    const got = await t.ok(entityOps('Persona').get('buyingRoles buyingRole appliesWhen'), r, h);
    expect(got.r).toMatchObject({ buyingRoles: ['INFLUENCER', 'BLOCKER'], buyingRole: 'INFLUENCER' });
    const q = `query($f: PersonaFilter) { personas(filter: $f) { name } }`;
    expect((await t.ok(q, { f: { icpId, buyingRoles: 'BLOCKER' } }, h)).personas).toEqual([{ name: 'Security team' }]);
    expect((await t.ok(q, { f: { icpId, buyingRoles: 'CHAMPION' } }, h)).personas).toEqual([]);
  });

  it('checks appliesWhen against the catalogue when it is saved', async () => {
    const problems = await problemsOf('Persona', { icpId, name: 'CFO', appliesWhen: 'account.dealSize > 5' });
    expect(problems).toEqual([expect.objectContaining({ path: 'input.appliesWhen' })]);
    expect(problems[0].message).toMatch(/unknown attribute "dealSize"/);
  });

  it('an ICP file names the line of a persona condition the catalogue cannot read', async () => {
    const yaml = [
      'slug: prov-file',
      'name: P',
      'personas:',
      '  - name: CFO',
      '    appliesWhen: account.dealSize > 5',
      '',
    ];
    const res = await t.gql(`mutation($y: String!) { importIcp(yaml: $y) { created } }`, { y: yaml.join('\n') }, h);
    expect(res.errors?.[0].extensions?.problems).toEqual([
      expect.objectContaining({ path: 'personas[0].appliesWhen', line: 5, message: expect.stringMatching(/dealSize/) }),
    ]);
  });

  it('lists a persona with a condition in a score only when it holds (ml-inference: "CFO for large deals")', async () => {
    const SCORE = `query($a: AccountInput!) { fitScore(icp: "ml-inference", account: $a) { personas { name buyingRoles } } }`;
    const names = async (annualBudgetUsd: number) =>
      (await t.ok(SCORE, { a: { attributes: { annualBudgetUsd } } })).fitScore.personas.map(
        (p: { name: string }) => p.name,
      );
    expect(await names(500000)).toContain('CFO');
    expect(await names(499999)).not.toContain('CFO');
    expect(await names(499999)).toContain('Head of ML/AI');
  });
});
