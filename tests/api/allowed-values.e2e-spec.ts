import YAML from 'yaml';
import { entityOps } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// Expressions know the catalogue's allowed values (issue 16, item 5): the one check of saving, the console's
// checkExpression and ICP file import all refuse a value an account can never hold, and an empty string.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const CHECK = `query($e: String!) { checkExpression(expression: $e) { valid message start end attributes } }`;
const check = async (e: string) => (await t.ok(CHECK, { e })).checkExpression;
const revisions = async () => (await t.sql('SELECT count(*)::int AS n FROM revision'))[0].n as number;
const TIER = `query($q: String!) { tiers(filter: { q: $q }) { id revision criteria } }`;

describe('values outside the allowed values', () => {
  it('checkExpression refuses a misspelt value with the closest allowed one, and marks it', async () => {
    const e = "account.annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicatd'";
    expect(await check(e)).toEqual({
      valid: false,
      message:
        "account.mlMaturity is compared with 'dedicatd', which is not one of its allowed values: did you mean 'dedicated'? (allowed: 'none', 'early', 'growing', 'dedicated')",
      start: e.indexOf("'dedicatd'"),
      end: e.length,
      attributes: [],
    });
    const list = await check("account.deployment in ['cloud', 'hybird']");
    expect(list).toMatchObject({ valid: false, message: expect.stringContaining("did you mean 'hybrid'?") });
  });

  it('checkExpression refuses an empty string, also for an attribute without allowed values', async () => {
    expect(await check('account.industry == ""')).toMatchObject({
      valid: false,
      message: expect.stringMatching(/^account\.industry is compared with an empty string/),
      start: 20,
      end: 22,
    });
  });

  it('checkExpression accepts every allowed value and open sets', async () => {
    expect(await check("account.mlMaturity in ['growing', 'dedicated'] && account.industry == 'Gaming'")).toMatchObject(
      {
        valid: true,
        attributes: ['mlMaturity', 'industry'],
      },
    );
  });

  it('a tier saved with a bad value is refused at its field, and nothing is written', async () => {
    const [tier] = (await t.ok(TIER, { q: 'Tier 2: Enterprise' })).tiers;
    const before = await revisions();
    const criteria = tier.criteria.replace("'growing'", "'grwoing'");
    expect(criteria).not.toBe(tier.criteria);
    const res = await t.gql(entityOps('Tier').update, { id: tier.id, rev: tier.revision, input: { criteria } });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const [problem] = res.errors![0].extensions!.problems;
    expect(problem).toMatchObject({
      path: 'input.criteria',
      start: criteria.indexOf("'grwoing'"),
      end: criteria.indexOf("'grwoing'") + 9,
    });
    expect(problem.message).toContain("did you mean 'growing'?");
    expect(await revisions()).toBe(before);
    expect((await t.ok(TIER, { q: 'Tier 2: Enterprise' })).tiers[0]).toEqual(tier);
  });

  it('a scoring rule, a disqualifier and a trigger created with a bad value are refused at their field', async () => {
    const { icps } = await t.ok(`{ icps(filter: { q: "driftsentry" }) { id scoringDimensions { id } } }`);
    const [{ id: icpId, scoringDimensions }] = icps;
    const before = await revisions();
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'ScoringRule',
        { dimensionId: scoringDimensions[0].id, name: 'X', condition: "'asw' in account.cloudProviders", points: '1' },
        'input.condition',
      ],
      ['Disqualifier', { icpId, name: 'X', expression: "account.deployment == 'on-premise'" }, 'input.expression'],
      ['TriggerEvent', { icpId, name: 'X', expression: "account.leadSource == ''" }, 'input.expression'],
    ];
    for (const [type, input, path] of cases) {
      const res = await t.gql(entityOps(type).create, { input });
      expect([type, res.errors?.[0].extensions?.problems?.[0]?.path]).toEqual([type, path]);
      expect(res.errors![0].extensions!.problems[0].message).toMatch(/is compared with/);
    }
    expect(await revisions()).toBe(before);
  });

  it('an ICP file with a bad value is refused at its line, and nothing is written', async () => {
    const doc = YAML.parse((await t.ok(`{ exportIcp(icp: "ml-inference") }`)).exportIcp);
    doc.disqualifiers[0].expression = "account.mlMaturity == 'non'";
    const before = await revisions();
    const res = await t.gql(`mutation($y: String!) { importIcp(yaml: $y, dryRun: true) { slug } }`, {
      y: YAML.stringify(doc),
    });
    const problems = res.errors![0].extensions!.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'disqualifiers[0].expression',
        line: expect.any(Number),
        message: expect.stringContaining("did you mean 'none'?"),
      }),
    ]);
    expect(await revisions()).toBe(before);
  });
});
