import { readYaml } from '../demo/load-demo';
import { checkerFor } from './cel';
import { AccountError, compileModel, type CompiledModel } from './engine';
import { snapshotFromFile } from './from-file';

const catalogue = (readYaml('workspace.yaml') as { attributes: any[] }).attributes;

async function model(slug: string): Promise<CompiledModel> {
  const snapshot = snapshotFromFile(readYaml(`${slug}.icp.yaml`) as Record<string, unknown>, catalogue);
  return compileModel({ icpId: snapshot.icp.id, icpSlug: slug, version: 1, snapshot }, await checkerFor(catalogue));
}

describe('engine on ml-inference (seed 003)', () => {
  let m: CompiledModel;
  beforeAll(async () => {
    m = await model('ml-inference');
  });

  const strategic = {
    annualRevenueUsd: 5e9,
    mlMaturity: 'dedicated',
    inferencesPerDay: 5e6,
    annualBudgetUsd: 1e6,
    industry: 'Financial Services',
    useCaseFit: 9,
    commercialFit: 9,
    technicalFit: 9,
    strategicValue: 10,
    signals: ['funding_round'],
  };

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
    expect(s.useCases.map((u) => u.name)).toEqual(['Financial Services']);
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
