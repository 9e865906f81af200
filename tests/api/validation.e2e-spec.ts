import { ValidationError } from '../../api/src/core/errors';
import { createIcpFromFile } from '../../api/src/modules/icp-file/icp-file.service';
import { tenantTables } from '../../api/src/db/security-check';
import { systemContext } from '../helpers/context';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
let h: Record<string, string>;
let wsId: string;
let icpId: string;

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // Every tenant table, the history included: a refused input writes nothing anywhere.
  for (const table of tenantTables(t.ds))
    out[table] = Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  return out;
}

beforeAll(async () => {
  t = await startTestServer({ demo: false });
  const ws = await newWorkspace(t, 'val');
  ({ headers: h, id: wsId } = ws);
  icpId = await newIcp(t, h, 'base');
});
afterAll(() => t.close());

describe('bad input gets a clear error and writes nothing', () => {
  let before: Record<string, number>;
  beforeEach(async () => {
    before = await rowCounts();
  });
  afterEach(async () => {
    expect(await rowCounts()).toEqual(before);
  });

  it('missing required field (the create input says it is required: GraphQL refuses it before any write)', async () => {
    const res = await t.gql(entityOps('Persona').create, { input: { icpId } }, h);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('Field "name" of required type "String!" was not provided.');
  });

  it('a required field cleared by an update', async () => {
    const p = (await t.ok(entityOps('Persona').create, { input: { icpId, name: 'Keeps a name' } }, h)).r;
    before = await rowCounts();
    const res = await t.gql(entityOps('Persona').update, { id: p.id, rev: p.revision, input: { name: null } }, h);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.problems).toEqual([{ path: 'input.name', message: 'is required' }]);
  });

  it('empty required field, and every problem at once', async () => {
    const res = await t.gql(entityOps('Tier').create, { input: { icpId, name: '  ', rank: 0, focusShare: 3 } }, h);
    const problems = res.errors?.[0].extensions?.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'input.name', message: 'must not be empty' },
        { path: 'input.rank', message: 'must be at least 1 (got 0)' },
        { path: 'input.focusShare', message: 'must be at most 1 (got 3)' },
      ]),
    );
  });

  it('wrong type (GraphQL names the variable and the field)', async () => {
    const res = await t.gql(entityOps('Tier').create, { input: { icpId, name: 'X', rank: 'first' } }, h);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/\$input.*rank.*Int cannot represent/);
  });

  it('an invalid slug', async () => {
    const res = await t.gql(entityOps('Icp').create, { input: { slug: 'Has Spaces', name: 'X' } }, h);
    expect(res.errors?.[0].message).toBe(
      'input.slug: must be lower-case letters, digits and single dashes, e.g. "ml-inference"',
    );
  });

  it('unknown id in a reference', async () => {
    const ghost = '3f1a2b3c-0000-4000-8000-000000000000';
    const res = await t.gql(entityOps('Persona').create, { input: { icpId: ghost, name: 'Ghost' } }, h);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0].message).toBe(`input.icpId: no ICP with id "${ghost}"`);
  });

  it('unknown id to update, and an id that is not a UUID', async () => {
    const res = await t.gql(
      entityOps('Persona').update,
      { id: '3f1a2b3c-0000-4000-8000-000000000000', rev: 1, input: { name: 'X' } },
      h,
    );
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const junk = await t.gql(entityOps('Persona').get('name'), { id: 'not-a-uuid' }, h);
    expect(junk.errors?.[0].message).toBe('id: no persona with id "not-a-uuid"');
  });

  it('duplicate slug', async () => {
    const res = await t.gql(entityOps('Icp').create, { input: { slug: 'base', name: 'Another' } }, h);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toBe('input.slug: "base" is already used by another ICP');
  });

  it('a tier of another ICP given to a persona', async () => {
    const other = await newIcp(t, h, 'other');
    before = await rowCounts();
    const tier = (await t.ok(entityOps('Tier').create, { input: { icpId: other, rank: 1, name: 'T1' } }, h)).r.id;
    before = await rowCounts();
    const res = await t.gql(entityOps('Persona').create, { input: { icpId, tierId: tier, name: 'Cross' } }, h);
    expect(res.errors?.[0].message).toBe(`input.tierId: tier ${tier} belongs to another ICP`);
  });

  it('changing what cannot change', async () => {
    const other = await newIcp(t, h, 'third');
    const p = (await t.ok(entityOps('Persona').create, { input: { icpId, name: 'Mover' } }, h)).r;
    before = await rowCounts();
    const res = await t.gql(entityOps('Persona').update, { id: p.id, rev: 1, input: { icpId: other } }, h);
    expect(res.errors?.[0].message).toContain('Field "icpId" is not defined by type "UpdatePersonaInput"');
  });

  it.each([
    ['a syntax error', 'account.employees >= ', 'Unexpected token: EOF', 21, 22],
    ['an unknown attribute', 'account.headcount > 10', 'unknown attribute "headcount"', 8, 17],
    ['a type error', '"string" > 3', 'type error: no such operator: string > int', 0, 12],
    ['a result that is not true or false', 'account.employees + 1', 'must give true or false, but gives int', 0, 21],
  ])(
    'an expression with %s is refused at save, with its character range',
    async (_what, expression, message, start, end) => {
      const res = await t.gql(
        entityOps('Tier').create,
        { input: { icpId, rank: 5, name: 'Expr', criteria: expression } },
        h,
      );
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const [problem] = res.errors![0].extensions!.problems;
      expect(problem).toMatchObject({ path: 'input.criteria', expression, start, end });
      expect(problem.message).toContain(message);
      expect(res.errors?.[0].message).toContain(`(characters ${start}-${end} of \`${expression}\`)`);
    },
  );

  it('checks every expression kind: disqualifiers, triggers, rule conditions and points, ICP criteria', async () => {
    const dim = (await t.ok(entityOps('ScoringDimension').create, { input: { icpId, name: 'D', max: 10 } }, h)).r.id;
    before = await rowCounts();
    const cases: [string, Record<string, unknown>, string][] = [
      ['Disqualifier', { icpId, name: 'X', expression: 'account.nope' }, 'input.expression'],
      ['TriggerEvent', { icpId, name: 'X', expression: "'a' in account.industry" }, 'input.expression'],
      ['ScoringRule', { dimensionId: dim, name: 'X', condition: 'true', points: "'ten'" }, 'input.points'],
      ['ScoringRule', { dimensionId: dim, name: 'X', condition: 'account.employees', points: '1' }, 'input.condition'],
      [
        'Icp',
        { slug: 'crit', name: 'X', mustHave: [{ description: 'big', expression: 'account.employees >' }] },
        'input.mustHave[0].expression',
      ],
    ];
    for (const [type, input, path] of cases) {
      const res = await t.gql(entityOps(type).create, { input }, h);
      expect([type, res.errors?.[0].extensions?.problems?.[0]?.path]).toEqual([type, path]);
    }
    const good = await t.gql(
      entityOps('ScoringRule').create,
      {
        input: {
          dimensionId: dim,
          name: 'Big',
          condition: "account.employees > 100 && 'funding_round' in account.signals",
          points: 'account.annualRevenueUsd > 1e6 ? 5.0 : 2.0',
        },
      },
      h,
    );
    expect(good.errors).toBeUndefined();
    before = await rowCounts();
  });

  it('a whole ICP with an error half-way leaves no row behind', async () => {
    const ctx = systemContext(t.ds, wsId);
    // Valid up to the second persona, whose tier does not exist: checked before anything is written.
    const file = {
      slug: 'partial',
      name: 'Partial',
      tiers: [{ rank: 1, name: 'A' }],
      personas: [
        { name: 'P1', tier: 'A' },
        { name: 'P2', tier: 'B' },
      ],
    };
    await expect(createIcpFromFile(ctx, file, 'partial.icp.yaml')).rejects.toThrow(
      'partial.icp.yaml: personas[1].tier: no tier named "B" in this file',
    );
    // An error only the database finds (two tiers with one rank) rolls the whole transaction back.
    const clash = {
      slug: 'clash',
      name: 'Clash',
      tiers: [
        { rank: 1, name: 'A' },
        { rank: 1, name: 'B' },
      ],
    };
    await expect(createIcpFromFile(ctx, clash)).rejects.toBeInstanceOf(ValidationError);
  });
});
