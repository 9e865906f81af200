import { type AttributeSpec, checkerFor, type ExpressionChecker } from './cel';
import { sampleAccounts, staticChecks } from './checks';
import { snapshotFromFile } from './from-file';

describe('static checks', () => {
  it('a criterion that fails with an evaluation error on some samples does not stop the checks', async () => {
    const attributes = [{ name: 'n', type: 'INT' }];
    const snapshot = snapshotFromFile(
      {
        slug: 't',
        name: 'T',
        tiers: [
          { name: 'A', rank: 1, criteria: '10 / account.n >= 1' },
          { name: 'B', rank: 2, criteria: 'account.n >= 1' },
        ],
        scoring: { dimensions: [], bands: [] },
      },
      attributes,
    );
    const warnings = staticChecks(snapshot, await checkerFor(attributes as never));
    expect(warnings.filter((w) => w.kind === 'TIER_OVERLAP')).toHaveLength(1);
  });
});

describe('static checks of a draft', () => {
  const attributes = [
    { name: 'revenue', type: 'NUMBER' },
    { name: 'seats', type: 'INT' },
    { name: 'industry', type: 'STRING', allowedValues: ['Banking', 'Retail'] },
    { name: 'regulated', type: 'BOOL' },
    { name: 'signals', type: 'STRING_LIST', allowedValues: ['funding', 'hiring'] },
  ];
  let checker: ExpressionChecker;
  beforeAll(async () => {
    checker = await checkerFor(attributes as never);
  });

  const dimension = (max: number, rules: Record<string, unknown>[] = []) => ({ name: `d${max}`, max, rules });
  const check = (file: Record<string, unknown>) =>
    staticChecks(snapshotFromFile({ slug: 't', name: 'T', ...file }, attributes), checker);
  const kinds = (file: Record<string, unknown>) => check(file).map((w) => w.kind);
  const clean = {
    tiers: [
      { name: 'Big', rank: 1, criteria: 'account.revenue >= 1000.0' },
      { name: 'Small', rank: 2, criteria: 'account.revenue < 1000.0' },
    ],
    scoring: {
      dimensions: [dimension(10, [{ name: 'r', condition: 'account.seats > 5', points: '10' }])],
      bands: [
        { name: 'low', minScore: 0, action: 'nurture' },
        { name: 'high', minScore: 5, action: 'call' },
      ],
    },
  };

  /** The clean draft with these tiers instead: [name, rank, criteria]. */
  const withTiers = (...tiers: [string, number, string][]) => ({
    ...clean,
    tiers: tiers.map(([name, rank, criteria]) => ({ name, rank, criteria })),
  });

  it('finds nothing to say about a clean draft', () => {
    expect(check(clean)).toEqual([]);
  });

  it('reports two tiers that both match, with an account both hold for, once per pair', () => {
    const tiers = [
      { name: 'Big', rank: 1, criteria: 'account.revenue >= 1000.0' },
      { name: 'Banks', rank: 2, criteria: "account.industry == 'Banking'" },
      { name: 'Rest', rank: 3, criteria: 'account.revenue < 10.0' },
    ];
    const warnings = check({ ...clean, tiers }).filter((w) => w.kind === 'TIER_OVERLAP');
    const snapshot = snapshotFromFile({ slug: 't', name: 'T', ...clean, tiers }, attributes);
    const idOf = (name: string) => snapshot.tiers.find((t: { name: string }) => t.name === name).id;
    expect(warnings.map((w) => w.ids)).toEqual(
      expect.arrayContaining([
        [idOf('Big'), idOf('Banks')],
        [idOf('Banks'), idOf('Rest')],
      ]),
    );
    expect(warnings).toHaveLength(2);
    const bigAndBanks = warnings.find((w) => w.ids[0] === idOf('Big'))!;
    expect(bigAndBanks.message).toBe(
      'tiers "Big" (rank 1) and "Banks" (rank 2) both match some accounts; such accounts get "Big", the better rank',
    );
    expect(bigAndBanks.example!.revenue).toBeGreaterThanOrEqual(1000);
    expect(bigAndBanks.example!.industry).toBe('Banking');
  });

  it('orders an overlap by rank, whatever the order the tiers are listed in', () => {
    const [w] = check(withTiers(['Second', 2, 'account.seats >= 1'], ['First', 1, 'account.seats >= 10']));
    expect(w.kind).toBe('TIER_OVERLAP');
    expect(w.message).toMatch(/^tiers "First" \(rank 1\) and "Second" \(rank 2\)/);
  });

  it('finds an overlap that needs a list and a boolean at once', () => {
    const [w] = check(
      withTiers(['A', 1, "'funding' in account.signals && account.regulated"], ['B', 2, "'hiring' in account.signals"]),
    );
    expect(w.kind).toBe('TIER_OVERLAP');
    expect(w.example).toMatchObject({ regulated: true, signals: expect.arrayContaining(['funding', 'hiring']) });
  });

  it('does not report tiers that meet only at a boundary they exclude', () => {
    expect(kinds(withTiers(['A', 1, 'account.seats > 100'], ['B', 2, 'account.seats <= 100']))).toEqual([]);
  });

  it('reports scores below the lowest band', () => {
    const bands = [{ name: 'high', minScore: 4, action: 'call' }];
    const warnings = check({ ...clean, scoring: { ...clean.scoring, bands } });
    expect(warnings).toMatchObject([
      { kind: 'SCORE_NOT_COVERED', message: 'scores from 0 to below 4 fall in no band' },
    ]);
  });

  it('reports a band above the highest possible score (the sum of the dimensions)', () => {
    const scoring = {
      dimensions: [dimension(10), dimension(5)],
      bands: [
        { name: 'all', minScore: 0, action: 'a' },
        { name: 'top', minScore: 15, action: 'b' },
        { name: 'never', minScore: 16, action: 'c' },
      ],
    };
    expect(check({ ...clean, scoring })).toMatchObject([
      { kind: 'BAND_UNREACHABLE', message: 'band "never" starts at 16, above the highest possible score 15' },
    ]);
  });

  it('reports a model with dimensions and no bands, and says nothing of bands when there is no model', () => {
    expect(kinds({ ...clean, scoring: { dimensions: [dimension(10)], bands: [] } })).toEqual(['NO_BANDS']);
    expect(kinds({ ...clean, scoring: { dimensions: [], bands: [] } })).toEqual([]);
  });

  it('reports a rule that reads no attribute in its condition or its points', () => {
    const rules = [
      { name: 'constant', condition: 'true', points: '3' },
      { name: 'reads points', condition: 'true', points: 'account.seats > 5 ? 3 : 0' },
      { name: 'reads condition', condition: 'account.regulated', points: '3' },
    ];
    const warnings = check({ ...clean, scoring: { ...clean.scoring, dimensions: [dimension(10, rules)] } });
    expect(warnings).toMatchObject([
      {
        kind: 'RULE_READS_NO_ATTRIBUTE',
        message: 'rule "constant" reads no attribute: it gives every account the same points',
      },
    ]);
  });

  it('leaves expressions that do not compile to the checker: no warning from them', () => {
    const tiers = [
      { name: 'A', rank: 1, criteria: 'account.nope > 1' },
      { name: 'B', rank: 2, criteria: 'account.nope > 2' },
    ];
    const rules = [{ name: 'broken', condition: 'true', points: '"three"' }];
    expect(kinds({ ...clean, tiers, scoring: { ...clean.scoring, dimensions: [dimension(10, rules)] } })).toEqual([]);
  });

  it('lists, in one warning, the tiers, disqualifiers and triggers that have no expression', () => {
    const warnings = check({
      ...clean,
      tiers: [...clean.tiers, { name: 'Manual', rank: 3 }],
      disqualifiers: [{ name: 'Competitor' }, { name: 'Tiny', expression: 'account.seats < 2' }],
      triggerEvents: [{ name: 'New CISO' }],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: 'NOT_EVALUATED',
      message:
        '3 check(s) are for reps only and are not evaluated: tier "Manual" has no criteria; ' +
        'disqualifier "Competitor" has no expression; trigger "New CISO" has no expression',
    });
    expect(warnings[0].ids).toHaveLength(3);
  });
});

describe('sampleAccounts', () => {
  const catalogue: AttributeSpec[] = [
    { name: 'n', type: 'NUMBER' },
    { name: 'i', type: 'INT' },
    { name: 's', type: 'STRING', allowedValues: ['x'] },
    { name: 'unused', type: 'BOOL' },
  ] as AttributeSpec[];
  const expressions = ["account.n >= 2.5 && account.i < 7 && account.s == 'y'"];
  const used = new Set(['n', 'i', 's']);

  it('is deterministic: the same draft always gets the same samples', () => {
    expect(sampleAccounts(catalogue, expressions, used, 200)).toEqual(
      sampleAccounts(catalogue, expressions, used, 200),
    );
  });

  it('draws values on and around each constant, the allowed values and the quoted strings; absent sometimes', () => {
    const samples = sampleAccounts(catalogue, expressions, used, 2000);
    expect(samples).toHaveLength(2000);
    const seen = (name: string) => new Set(samples.map((a) => a[name]));
    expect([...seen('n')].sort()).toEqual([-1, 0, 1, 1.5, 2.5, 3.5, 5, 6, 7, 8, 14, undefined].sort());
    expect([...seen('i')].sort()).toEqual([-1, 0, 1, 2, 3, 4, 6, 7, 8, undefined].sort());
    expect(seen('s')).toEqual(new Set(['x', 'y', undefined]));
  });

  it('reads only the attributes the expressions use', () => {
    for (const a of sampleAccounts(catalogue, expressions, used, 100)) expect(a).not.toHaveProperty('unused');
  });
});
