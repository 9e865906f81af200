import { STRATEGIC_BANK } from '../../../tests/fixtures/accounts';
import { readYaml } from '../demo/load-demo';
import { checkerFor } from './cel';
import { AccountError, compileModel, type CompiledModel } from './engine';
import { snapshotFromFile } from './from-file';
import { NO_VALUE } from './runtime';

const catalogue = (readYaml('workspace.yaml') as { attributes: any[] }).attributes;

async function model(slug: string): Promise<CompiledModel> {
  const snapshot = snapshotFromFile(readYaml(`${slug}.icp.yaml`) as Record<string, unknown>, catalogue);
  return compileModel({ icpId: snapshot.icp.id, icpSlug: slug, version: 1, snapshot }, await checkerFor(catalogue));
}

const strategic = {
  ...STRATEGIC_BANK,
  useCaseFit: 9,
  commercialFit: 9,
  technicalFit: 9,
  strategicValue: 10,
  signals: ['funding_round'],
};

describe('engine on ml-inference (seed 003)', () => {
  let m: CompiledModel;
  beforeAll(async () => {
    m = await model('ml-inference');
  });

  it('scores a strategic account: tier 1, band "35-40", personas, use cases, explanation', () => {
    const s = m.score({ key: 'bank', attributes: strategic });
    expect(s.tier?.rank).toBe(1);
    expect(s.score).toBe(37);
    expect(s.maxScore).toBe(40);
    expect(s.band?.minScore).toBe(35);
    expect(s.disqualified).toBe(false);
    expect(s.dimensions.map((d) => [d.name, d.score])).toEqual([
      ['Use Case Fit', 9],
      ['Commercial Fit', 9],
      ['Technical Fit', 9],
      ['Strategic Value', 10],
    ]);
    expect(s.useCases.map((u) => u.name)).toEqual([
      'Financial Services',
      'Real-time Inference',
      'Multi-model Pipelines',
    ]);
    expect(s.personas.map((p) => p.name)).toContain('Head of ML/AI');
    expect(s.triggers.map((t) => t.name).length).toBeGreaterThan(0);
    const tiers = s.explanation.filter((c) => c.kind === 'TIER');
    expect(tiers).toHaveLength(1);
    expect(tiers[0]).toMatchObject({ held: true });
    expect(s.explanation.filter((c) => c.kind === 'RULE').every((c) => c.held)).toBe(true);
  });

  it('lists missing attributes; a missing attribute makes its checks not hold', () => {
    const { useCaseFit: _drop, annualBudgetUsd: _b, ...partial } = strategic;
    const s = m.score({ key: 'partial', attributes: partial });
    expect(s.missingAttributes).toEqual(expect.arrayContaining(['annualBudgetUsd', 'useCaseFit']));
    expect(s.tier).toBeNull();
    expect(s.dimensions[0].score).toBe(0);
  });

  it('refuses a value of the wrong type, naming the attribute and the account', () => {
    expect(() => m.score({ key: 'acme', attributes: { ...strategic, annualRevenueUsd: 'lots' } })).toThrow(
      AccountError,
    );
    expect(() => m.score({ key: 'acme', attributes: { ...strategic, annualRevenueUsd: 'lots' } })).toThrow(
      'account.attributes.annualRevenueUsd: must be a number, got "lots" (account "acme")',
    );
    expect(() => m.score({ key: 'acme', attributes: { ...strategic, mlMaturity: 'expert' } })).toThrow(
      /must be one of none, early, growing, dedicated/,
    );
  });

  it('names every attribute the model reads, and none it does not', () => {
    // An account with only these attributes is scored exactly like one with the whole catalogue.
    expect(m.attributes).toContain('annualRevenueUsd');
    expect(m.attributes).toContain('useCaseFit');
    expect([...m.attributes].sort()).toEqual(m.attributes);
    const unused = catalogue.map((a) => a.name as string).filter((n) => !m.attributes.includes(n));
    expect(unused.length).toBeGreaterThan(0);
    expect(m.attributes.every((n) => catalogue.some((a) => a.name === n))).toBe(true);
    const used = Object.fromEntries(Object.entries(strategic).filter(([k]) => m.attributes.includes(k)));
    expect(m.score({ key: 'bank', attributes: used }).toJSON()).toEqual(
      m.score({ key: 'bank', attributes: strategic }).toJSON(),
    );
  });

  it('is reproducible', () => {
    expect(JSON.stringify(m.score({ key: 'x', attributes: strategic }))).toBe(
      JSON.stringify(m.score({ key: 'x', attributes: strategic })),
    );
  });
});

describe('engine: errors per check, own-property attributes', () => {
  const snapshot = (attributes: any[], tiers: any[], dims: any[] = []) =>
    snapshotFromFile(
      {
        slug: 't',
        name: 'T',
        tiers,
        scoring: { dimensions: dims, bands: [{ name: 'any', minScore: 0, action: 'go' }] },
      },
      attributes,
    );

  it('an evaluation error is an error of that check only, recorded in its explanation', async () => {
    const attributes = [{ name: 'n', type: 'INT' }];
    const s = snapshot(
      attributes,
      [
        { name: 'Bad', rank: 1, criteria: '10 / account.n > 1' },
        { name: 'Good', rank: 2, criteria: 'account.n == 0' },
      ],
      [
        {
          name: 'D',
          max: 10,
          rules: [
            { name: 'r', condition: 'true', points: '10 / account.n' },
            { name: 'ok', condition: 'true', points: '1' },
          ],
        },
      ],
    );
    const m = compileModel(
      { icpId: s.icp.id, icpSlug: 't', version: 1, snapshot: s },
      await checkerFor(attributes as any),
    );
    const score = m.score({ key: 'zero', attributes: { n: 0 } });
    expect(score.tier?.name).toBe('Good');
    expect(score.score).toBe(1);
    const bad = score.explanation.filter((c) => c.error);
    expect(bad.map((c) => [c.name, c.held, c.error])).toEqual([
      ['Bad', false, 'division by zero'],
      ['r', false, 'division by zero'],
    ]);
  });

  it('an attribute named toString is read as the account own value', async () => {
    const attributes = [{ name: 'toString', type: 'STRING' }];
    const s = snapshot(attributes, [{ name: 'T', rank: 1, criteria: "account.toString == 'x'" }]);
    const m = compileModel(
      { icpId: s.icp.id, icpSlug: 't', version: 1, snapshot: s },
      await checkerFor(attributes as any),
    );
    expect(m.score({ attributes: {} }).missingAttributes).toEqual(['toString']);
    expect(m.score({ attributes: { toString: 'x' } }).tier?.name).toBe('T');
  });
});

/**
 * A small model in the shape of seed 003, inline so that these tests do not move with the demo file:
 * three tiers of four conditions (lower bounds), disqualifiers, one trigger, four 0-10 ratings, four bands.
 */
const ratingDimension = (name: string, attribute: string) => ({
  name,
  max: 10,
  rules: [{ name: 'Rep rating', condition: 'true', points: `account.${attribute}` }],
});
const mlFile = {
  slug: 'ml',
  name: 'ML',
  tiers: [
    {
      name: 'Strategic',
      rank: 1,
      criteria:
        "account.annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicated' && " +
        'account.inferencesPerDay >= 1000000.0 && account.annualBudgetUsd >= 500000.0',
    },
    {
      name: 'Enterprise',
      rank: 2,
      criteria:
        "account.annualRevenueUsd >= 100000000.0 && account.mlMaturity in ['growing', 'dedicated'] && " +
        'account.inferencesPerDay >= 1000.0 && account.annualBudgetUsd >= 100000.0',
    },
    {
      name: 'Growth',
      rank: 3,
      criteria:
        "account.annualRevenueUsd >= 10000000.0 && account.mlMaturity in ['early', 'growing', 'dedicated'] && " +
        'account.inferencesPerDay >= 100.0 && account.annualBudgetUsd >= 20000.0',
    },
  ],
  disqualifiers: [
    {
      name: 'No clear ML use case',
      expression: "account.mlMaturity == 'none'",
      reason: 'Poor fit indicator: no clear ML use case.',
    },
    { name: 'Government', expression: "account.industry == 'Government'", reason: 'Extremely regulated.' },
    {
      name: 'On-premise only',
      expression: "account.deployment == 'on-premise-only'",
      reason: 'Poor fit indicator: requires on-premise only.',
    },
    { name: 'Budget <$10K', expression: 'account.annualBudgetUsd < 10000.0', reason: 'Budget under $10K.' },
    { name: 'Consulting', expression: 'account.lookingForConsulting', reason: 'Looking for consulting.' },
  ],
  triggerEvents: [{ name: 'Funding round', expression: "'funding_round' in account.signals" }],
  scoring: {
    dimensions: [
      ratingDimension('Use Case Fit', 'useCaseFit'),
      ratingDimension('Commercial Fit', 'commercialFit'),
      ratingDimension('Technical Fit', 'technicalFit'),
      ratingDimension('Strategic Value', 'strategicValue'),
    ],
    bands: [
      { name: 'Immediate priority', minScore: 35, action: 'Immediate priority, full resources' },
      { name: 'Active pursuit', minScore: 25, action: 'Active pursuit, standard process' },
      { name: 'Nurture', minScore: 15, action: 'Nurture, automated touches' },
      { name: 'Decline or refer', minScore: 0, action: 'Decline or refer' },
    ],
  },
};

describe('engine: honest tiers, disqualification and missing data (issue 14)', () => {
  let m: CompiledModel;
  beforeAll(async () => {
    const snapshot = snapshotFromFile(mlFile, catalogue);
    m = compileModel({ icpId: snapshot.icp.id, icpSlug: 'ml', version: 1, snapshot }, await checkerFor(catalogue));
  });

  // Every attribute the model reads, known.
  const complete = { ...strategic, deployment: 'cloud', lookingForConsulting: false };
  const without = (...names: (keyof typeof complete)[]) =>
    Object.fromEntries(Object.entries(complete).filter(([k]) => !names.includes(k as keyof typeof complete)));

  it('reports every tier condition by condition: its source text, its attributes, held', () => {
    const s = m.score({ attributes: { ...complete, mlMaturity: 'growing' } });
    expect(s.tier?.rank).toBe(2);
    expect(s.nearestTier).toBeNull();
    expect(s.tierMatches.map((t) => [t.tier.rank, t.held, t.total])).toEqual([
      [1, 3, 4],
      [2, 4, 4],
      [3, 4, 4],
    ]);
    expect(s.tierMatches[0].conditions).toEqual([
      {
        text: 'account.annualRevenueUsd >= 1000000000.0',
        outcome: 'HELD',
        attributes: ['annualRevenueUsd'],
        error: null,
      },
      { text: "account.mlMaturity == 'dedicated'", outcome: 'FAILED', attributes: ['mlMaturity'], error: null },
      { text: 'account.inferencesPerDay >= 1000000.0', outcome: 'HELD', attributes: ['inferencesPerDay'], error: null },
      { text: 'account.annualBudgetUsd >= 500000.0', outcome: 'HELD', attributes: ['annualBudgetUsd'], error: null },
    ]);
    expect(s.undetermined).toBe(false);
    expect(s.decidingAttributes).toEqual([]);
    expect(s.action).toBe('Immediate priority, full resources');
  });

  it('no tier holds: the nearest is the one with the most conditions held, with the ones that failed', () => {
    const s = m.score({ attributes: { ...complete, annualRevenueUsd: 5e6, inferencesPerDay: 500 } });
    expect(s.tier).toBeNull();
    expect(s.nearestTier?.tier.rank).toBe(3);
    expect(s.nearestTier?.held).toBe(3);
    expect(s.nearestTier?.conditions.filter((c) => c.outcome === 'FAILED').map((c) => c.text)).toEqual([
      'account.annualRevenueUsd >= 10000000.0',
    ]);
  });

  it('a disqualified account has no band and an action naming the first disqualifier', () => {
    const s = m.score({ attributes: { ...complete, mlMaturity: 'none', deployment: 'on-premise-only' } });
    expect(s.disqualified).toBe(true);
    expect(s.band).toBeNull();
    expect(s.action).toMatch(/^Do not pursue: Poor fit indicator: no clear ML use case\./);
    // A disqualifier that held cannot un-hold with more data.
    const partial = m.score({ attributes: { deployment: 'on-premise-only' } });
    expect(partial.disqualified).toBe(true);
    expect(partial.undetermined).toBe(false);
    expect(partial.action).toBe('Do not pursue: Poor fit indicator: requires on-premise only.');
  });

  it('a condition over a missing attribute is unknown; a better tier unknown makes the account undetermined', () => {
    const s = m.score({ attributes: without('annualBudgetUsd') });
    expect(s.tier).toBeNull();
    expect(s.tierMatches[0].conditions.map((c) => c.outcome)).toEqual(['HELD', 'HELD', 'HELD', 'UNKNOWN']);
    expect(s.nearestTier).toMatchObject({ held: 3, total: 4, tier: { rank: 1 } });
    expect(s.undetermined).toBe(true);
    expect(s.decidingAttributes).toEqual(['annualBudgetUsd']);
    expect(s.action).toBe('Needs data: annualBudgetUsd');
    expect(s.band?.minScore).toBe(35);
  });

  it('unknown && false is false: a tier with a failed condition is decided whatever is missing', () => {
    const s = m.score({ attributes: { ...without('annualBudgetUsd'), mlMaturity: 'early', annualRevenueUsd: 5e7 } });
    // Tiers 1 and 2 fail on mlMaturity or revenue; tier 3's budget is unknown: undetermined by tier 3 alone.
    expect(s.tierMatches.map((t) => t.conditions.map((c) => c.outcome[0]).join(''))).toEqual(['FFHU', 'FFHU', 'HHHU']);
    expect(s.undetermined).toBe(true);
    const decided = m.score({
      attributes: { ...without('annualBudgetUsd'), annualBudgetUsd: 3e4, mlMaturity: 'early' },
    });
    expect(decided.tier?.rank).toBe(3);
  });

  it('an unknown disqualifier makes the account undetermined', () => {
    const s = m.score({ attributes: without('lookingForConsulting') });
    expect(s.tier?.rank).toBe(1);
    expect(s.disqualified).toBe(false);
    expect(s.undetermined).toBe(true);
    expect(s.decidingAttributes).toEqual(['lookingForConsulting']);
  });

  it('missing points decide only when the band could change', () => {
    const s = m.score({ attributes: without('strategicValue') });
    // 27 now, up to 37 with the rating: Active pursuit or Immediate priority.
    expect(s.score).toBe(27);
    expect(s.undetermined).toBe(true);
    expect(s.decidingAttributes).toEqual(['strategicValue']);
    const low = m.score({
      attributes: { ...without('strategicValue'), useCaseFit: 0, commercialFit: 1, technicalFit: 0 },
    });
    // 1 now, at most 11: Decline or refer either way.
    expect(low.undetermined).toBe(false);
    expect(low.action).toBe('Decline or refer');
    expect(low.missingAttributes).toEqual(['strategicValue']);
  });

  it('missing data that decides nothing leaves the account determined', () => {
    const s = m.score({ attributes: without('signals') });
    expect(s.missingAttributes).toEqual(['signals']);
    expect(s.undetermined).toBe(false);
    expect(s.action).toBe('Immediate priority, full resources');
  });

  it('an account with no data needs data rather than a decline', () => {
    const s = m.score({ attributes: {} });
    expect(s.score).toBe(0);
    expect(s.undetermined).toBe(true);
    expect(s.action.startsWith('Needs data: ')).toBe(true);
    expect(s.decidingAttributes).toEqual(
      expect.arrayContaining(['annualBudgetUsd', 'mlMaturity', 'useCaseFit', 'strategicValue', 'deployment']),
    );
    expect([...s.decidingAttributes].sort()).toEqual(s.decidingAttributes);
  });

  it('toJSON carries the new fields', () => {
    const j = m.score({ attributes: without('annualBudgetUsd') }).toJSON();
    expect(j).toMatchObject({
      undetermined: true,
      decidingAttributes: ['annualBudgetUsd'],
      action: expect.any(String),
    });
    expect((j.tierMatches as unknown[]).length).toBe(3);
  });
});

describe('engine: three-valued logic, errors in conditions, provenance', () => {
  const attributes = [
    { name: 'n', type: 'INT' },
    { name: 's', type: 'STRING' },
  ];
  async function compile(file: Record<string, unknown>) {
    const s = snapshotFromFile({ slug: 't', name: 'T', ...file }, attributes);
    return compileModel(
      { icpId: s.icp.id, icpSlug: 't', version: 1, snapshot: s },
      await checkerFor(attributes as any),
    );
  }

  it('unknown && false is false, unknown || true is true, an unknown in a comparison stays unknown', async () => {
    const checker = await checkerFor(attributes as any);
    const run = (e: string, a: Record<string, unknown> = {}) => checker.compile(e, 'bool').result!.fn(a);
    expect(run('account.n > 1 && false')).toBe(false);
    expect(run('false && account.n > 1')).toBe(false);
    expect(run('account.n > 1 || true')).toBe(true);
    expect(run('account.n > 1')).toBe(NO_VALUE);
    expect(run('account.n + 1 == 2')).toBe(NO_VALUE);
    expect(run("account.s == 'x' && true")).toBe(NO_VALUE);
    expect(run('!(account.n > 1)')).toBe(NO_VALUE);
  });

  it('an error in a condition fails it, with the error; the other conditions are still reported', async () => {
    const m = await compile({
      tiers: [{ name: 'A', rank: 1, criteria: "10 / account.n > 1 && !(account.n < 0) && (account.s == 'x' || true)" }],
      scoring: { dimensions: [], bands: [{ name: 'any', minScore: 0, action: 'go' }] },
    });
    const s = m.score({ attributes: { n: 0 } });
    expect(s.tier).toBeNull();
    expect(s.nearestTier?.conditions).toEqual([
      { text: '10 / account.n > 1', outcome: 'FAILED', attributes: ['n'], error: 'division by zero' },
      { text: '!(account.n < 0)', outcome: 'HELD', attributes: ['n'], error: null },
      { text: "account.s == 'x' || true", outcome: 'HELD', attributes: ['s'], error: null },
    ]);
    expect(s.undetermined).toBe(false);
  });

  it('no band for the score: the action says so', async () => {
    const m = await compile({
      tiers: [],
      scoring: { dimensions: [], bands: [{ name: 'high', minScore: 5, action: 'go' }] },
    });
    const s = m.score({ attributes: {} });
    expect(s.band).toBeNull();
    expect(s.action).toBe('No action band: a score of 0 is below every band');
  });

  it('scores carry the provenance of the parts they name', async () => {
    const seed = { derived: false, document: 'Seed 003', section: 'Tiers', reasoning: null };
    const derived = { derived: true, document: null, section: null, reasoning: 'ours' };
    const m = await compile({
      tiers: [{ name: 'A', rank: 1, criteria: 'account.n > 1', provenance: seed }],
      disqualifiers: [{ name: 'D', expression: 'account.n > 100', provenance: derived }],
      scoring: {
        dimensions: [
          { name: 'X', max: 5, rules: [{ name: 'r', condition: 'true', points: '2', provenance: derived }] },
        ],
        bands: [
          { name: 'any', minScore: 0, action: 'go', provenance: seed },
          { name: 'none', minScore: 50, action: 'x' },
        ],
      },
    });
    const s = m.score({ attributes: { n: 200 } });
    expect(s.tier?.provenance).toEqual(seed);
    expect(s.disqualifiers[0].provenance).toEqual(derived);
    expect(s.dimensions[0].hits[0].provenance).toEqual(derived);
    expect(s.explanation.map((c) => c.provenance)).toEqual([seed, derived, derived]);
    const b = m.score({ attributes: { n: 2 } });
    expect(b.band?.provenance).toEqual(seed);
  });
});

describe('engine: an unknown rule with constant points moves the score by exactly those points', () => {
  // A penalty of -2.5 (a negative double, generated as `(-2.5)`) or a large int cannot reach another band here.
  const file = (points: string) => ({
    slug: 'p',
    name: 'P',
    scoring: {
      dimensions: [
        {
          name: 'Fit',
          max: 10,
          rules: [
            { name: 'Base', condition: 'true', points: '8.0' },
            { name: 'Penalty', condition: 'account.employees > 10', points },
          ],
        },
      ],
      bands: [
        { name: 'Good', minScore: 5, action: 'Pursue' },
        { name: 'Low', minScore: 0, action: 'Decline' },
      ],
    },
  });
  const model = async (points: string) => {
    const snapshot = snapshotFromFile(file(points), catalogue);
    return compileModel({ icpId: snapshot.icp.id, icpSlug: 'p', version: 1, snapshot }, await checkerFor(catalogue));
  };

  it.each(['-2.5', '-2', '2.5'])('points %s: the band cannot change, so the account is determined', async (points) => {
    const s = (await model(points)).score({ attributes: {} });
    expect(s.missingAttributes).toEqual(['employees']);
    expect([s.undetermined, s.decidingAttributes, s.action]).toEqual([false, [], 'Pursue']);
  });

  it('points that could cross a band boundary make it undetermined', async () => {
    const s = (await model('-4.0')).score({ attributes: {} });
    expect([s.undetermined, s.decidingAttributes, s.action]).toEqual([true, ['employees'], 'Needs data: employees']);
  });
});
