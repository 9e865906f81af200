import { STRATEGIC_BANK } from '../fixtures/accounts';
import { entityOps } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const SCORE = `query($icp: String!, $a: AccountInput!, $v: Int) {
  fitScore(icp: $icp, account: $a, version: $v) {
    accountKey icpSlug icpVersion score maxScore disqualified
    disqualifiers { name reason } tier { id name rank } band { name minScore action }
    dimensions { name score max hits { name points } } triggers { name }
    personas { name } useCases { name industry painPoints useCases keyMetrics competitors } missingAttributes
    explanation { kind name held points missingAttributes }
  }
}`;
const SCORES = `query($icp: String!, $as: [AccountInput!]!, $v: Int) { fitScores(icp: $icp, accounts: $as, version: $v) { accountKey score tier { name } band { name } disqualified disqualifiers { name } } }`;

const score = async (icp: string, attributes: Record<string, unknown>, key = 'acct', version?: number) =>
  (await t.ok(SCORE, { icp, a: { key, attributes }, v: version })).fitScore;

// ml-inference (seed 003): a rep's four 0-10 ratings are the dimensions.
const ratings = (u: number, c: number, te: number, s: number) => ({
  useCaseFit: u,
  commercialFit: c,
  technicalFit: te,
  strategicValue: s,
});
const strategic = STRATEGIC_BANK;

describe('the demo ICPs score the accounts their seeds describe as the seeds say', () => {
  it.each(['itsm', 'make-enterprise', 'ml-inference', 'driftsentry'])(
    '%s: every example account from the seed',
    async (slug) => {
      const { icpBySlug } = await t.ok(
        `query($s: String!) { icpBySlug(idOrSlug: $s) { exampleAccounts { name attributes expectedTier expectedDisqualified expectedBand } } }`,
        { s: slug },
      );
      const examples = icpBySlug.exampleAccounts;
      expect(examples.length).toBeGreaterThanOrEqual(3);
      const { fitScores } = await t.ok(SCORES, {
        icp: slug,
        as: examples.map((e: any) => ({ key: e.name, attributes: e.attributes })),
      });
      examples.forEach((e: any, i: number) => {
        const got = fitScores[i];
        expect(got.accountKey).toBe(e.name);
        if (e.expectedTier !== null) expect([e.name, got.tier?.name ?? 'none']).toEqual([e.name, e.expectedTier]);
        if (e.expectedDisqualified !== null)
          expect([e.name, got.disqualified]).toEqual([e.name, e.expectedDisqualified]);
        if (e.expectedBand !== null) expect([e.name, got.band?.name ?? 'none']).toEqual([e.name, e.expectedBand]);
      });
    },
  );

  it('ml-inference: tier 1, 2 and 3 by revenue, ML maturity, volume and budget', async () => {
    expect((await score('ml-inference', { ...strategic, ...ratings(9, 9, 9, 10) })).tier).toMatchObject({
      rank: 1,
      name: 'Tier 1: Strategic',
    });
    expect(
      (
        await score('ml-inference', {
          annualRevenueUsd: 3e8,
          mlMaturity: 'growing',
          inferencesPerDay: 5e4,
          annualBudgetUsd: 2.5e5,
        })
      ).tier?.rank,
    ).toBe(2);
    expect(
      (
        await score('ml-inference', {
          annualRevenueUsd: 2e7,
          mlMaturity: 'early',
          inferencesPerDay: 500,
          annualBudgetUsd: 5e4,
        })
      ).tier?.rank,
    ).toBe(3);
  });

  it.each([
    [ratings(10, 10, 10, 10), 40, 'Immediate priority'],
    [ratings(9, 9, 9, 8), 35, 'Immediate priority'],
    [ratings(9, 9, 8, 8), 34, 'Active pursuit'],
    [ratings(7, 6, 6, 6), 25, 'Active pursuit'],
    [ratings(6, 6, 6, 6), 24, 'Nurture'],
    [ratings(4, 4, 4, 3), 15, 'Nurture'],
    [ratings(4, 4, 3, 3), 14, 'Decline or refer'],
    [ratings(0, 0, 0, 0), 0, 'Decline or refer'],
  ])('ml-inference: ratings %j score %d, band "%s" (seed 003: 35-40, 25-34, 15-24, <15)', async (r, total, band) => {
    const s = await score('ml-inference', { ...strategic, ...r });
    expect(s.score).toBe(total);
    expect(s.maxScore).toBe(40);
    expect(s.band.name).toBe(band);
  });

  it.each([
    ['No clear ML use case', { mlMaturity: 'none' }],
    ['Extremely regulated (government)', { industry: 'Government' }],
    ['Require on-premise only', { deployment: 'on-premise-only' }],
    ['Budget <$10K annually', { annualBudgetUsd: 5000 }],
    ['Looking for consulting, not platform', { lookingForConsulting: true }],
  ])('ml-inference: disqualified for "%s"', async (name, attrs) => {
    const s = await score('ml-inference', { ...strategic, ...ratings(9, 9, 9, 9), ...attrs });
    expect(s.disqualified).toBe(true);
    expect(s.disqualifiers.map((d: { name: string }) => d.name)).toEqual([name]);
  });

  it.each([
    ['Small startups (<10 people)', { employees: 8 }],
    ['Enterprises (>2000 people)', { employees: 2500 }],
    ['Non-cloud companies', { cloudProviders: [] }],
    ['Cost-sensitive teams', { annualBudgetUsd: 3000 }],
  ])('driftsentry: every anti-ICP rule disqualifies: "%s"', async (name, attrs) => {
    const base = {
      employees: 200,
      industry: 'SaaS',
      cloudProviders: ['aws'],
      monthlyCloudSpendUsd: 60000,
      iacTools: ['terraform'],
      devopsTeamSize: 4,
      annualBudgetUsd: 60000,
    };
    expect((await score('driftsentry', base)).disqualified).toBe(false);
    const s = await score('driftsentry', { ...base, ...attrs });
    expect(s.disqualifiers.map((d: { name: string }) => d.name)).toEqual([name]);
  });

  it('itsm and make-enterprise: segments in their ranked order', async () => {
    expect((await score('itsm', { employees: 800, currentTools: ['legacy-helpdesk'] })).tier).toMatchObject({
      rank: 1,
      name: 'Primary ICP: Mid-Market',
    });
    expect((await score('itsm', { employees: 60, isMsp: true })).tier?.rank).toBe(2);
    const scaleUp = await score('make-enterprise', {
      employeeGrowthYoY: 0.5,
      annualRevenueUsd: 3e7,
      industry: 'E-commerce',
      digitalNative: true,
    });
    expect(scaleUp.tier).toMatchObject({ rank: 1 });
    expect(scaleUp.personas.map((p: { name: string }) => p.name)).toEqual(['Decision Maker', 'Champion']);
  });
});

describe('the fit-score contract', () => {
  it('returns the whole answer: dimensions with hits, triggers, personas, use cases, explanation, missing attributes', async () => {
    const s = await score(
      'ml-inference',
      { ...strategic, ...ratings(9, 8, 7, 6), signals: ['funding_round'] },
      'bank-1',
    );
    expect(s).toMatchObject({
      accountKey: 'bank-1',
      icpSlug: 'ml-inference',
      icpVersion: 1,
      score: 30,
      maxScore: 40,
      disqualified: false,
    });
    expect(s.dimensions[0]).toMatchObject({ name: 'Use Case Fit', score: 9, max: 10, hits: [{ points: 9 }] });
    expect(s.triggers.length).toBeGreaterThan(0);
    // The industry's pattern, then the technical patterns the seed ties to it (fraud detection, document processing).
    expect(s.useCases.map((u: { name: string }) => u.name)).toEqual([
      'Financial Services',
      'Real-time Inference',
      'Multi-model Pipelines',
    ]);
    expect(s.useCases[0]).toEqual(
      expect.objectContaining({
        name: 'Financial Services',
        industry: 'Financial Services',
        competitors: ['In-house', 'SageMaker'],
      }),
    );
    expect(s.personas.length).toBe(4);
    expect(s.missingAttributes).toEqual(expect.arrayContaining(['deployment', 'lookingForConsulting']));
    const kinds = new Set(s.explanation.map((c: { kind: string }) => c.kind));
    expect([...kinds].sort()).toEqual(['DISQUALIFIER', 'RULE', 'TIER', 'TRIGGER']);
    expect(s.explanation.find((c: { kind: string; held: boolean }) => c.kind === 'TIER').held).toBe(true);
    expect(s.explanation.find((c: { name: string }) => c.name === 'Require on-premise only')).toMatchObject({
      held: false,
      missingAttributes: ['deployment'],
    });
  });

  it('scores thousands in one call, in the input order, and refuses more than 10,000', async () => {
    const accounts = Array.from({ length: 2000 }, (_, i) => ({
      key: `a${i}`,
      attributes: { ...strategic, ...ratings(i % 11, 5, 5, 5) },
    }));
    const { fitScores } = await t.ok(SCORES, { icp: 'ml-inference', as: accounts });
    expect(fitScores.map((s: { accountKey: string }) => s.accountKey)).toEqual(accounts.map((a) => a.key));
    expect(fitScores[7].score).toBe(22);
    const tooMany = Array.from({ length: 10_001 }, () => ({ attributes: {} }));
    const res = await t.gql(SCORES, { icp: 'ml-inference', as: tooMany });
    expect(res.errors?.[0].message).toBe(
      'The request scores 10001 accounts; at most 10000 are allowed in one request (split the list into several calls)',
    );
  });

  it('refuses a value of the wrong type, naming the attribute and the account key', async () => {
    const res = await t.gql(SCORES, {
      icp: 'driftsentry',
      as: [
        { key: 'ok', attributes: { employees: 10 } },
        { key: 'acme', attributes: { employees: 'lots' } },
      ],
    });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toBe(
      'accounts[1].attributes.employees: must be a whole number, got "lots" (account "acme")',
    );
  });

  it('refuses an ICP that was never published, and an unknown one', async () => {
    await t.ok(entityOps('Icp').create, { input: { slug: 'unpublished', name: 'Unpublished' } });
    expect((await t.gql(SCORE, { icp: 'unpublished', a: { attributes: {} } })).errors?.[0].message).toContain(
      'has never been published',
    );
    expect((await t.gql(SCORE, { icp: 'nope', a: { attributes: {} } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('issues no SQL query for a warm fitScore', async () => {
    await score('driftsentry', { employees: 150 });
    const before = t.queries();
    for (let i = 0; i < 20; i++) await score('driftsentry', { employees: 150 + i });
    expect(t.queries() - before).toBe(0);
  });

  it('an unpublished edit changes no score; publishing does, and old versions still score as they did', async () => {
    const account = {
      employees: 80,
      industry: 'SaaS',
      cloudProviders: ['aws'],
      monthlyCloudSpendUsd: 30000,
      iacTools: ['terraform'],
      devopsTeamSize: 3,
      annualBudgetUsd: 20000,
    };
    const v1 = await score('driftsentry', account);
    expect(v1.tier.name).toBe('Tier 2: Good Fit');
    const { icpBySlug } = await t.ok(`{ icpBySlug(idOrSlug: "driftsentry") { tiers { id name revision } } }`);
    const tier2 = icpBySlug.tiers.find((x: { name: string }) => x.name === 'Tier 2: Good Fit');
    await t.ok(entityOps('Tier').update, {
      id: tier2.id,
      rev: tier2.revision,
      input: { criteria: 'account.devopsTeamSize >= 5' },
    });
    expect(await score('driftsentry', account)).toEqual(v1);

    const sim = (
      await t.ok(
        `query($as: [AccountInput!]!) { simulateIcp(icp: "driftsentry", accounts: $as) { publishedVersion summary { up down in out same changed total } accounts { accountKey movement changed before { tier { name } } after { tier { name } } } } }`,
        {
          as: [
            { key: 'mike', attributes: account },
            { key: 'big', attributes: { ...account, devopsTeamSize: 6 } },
          ],
        },
      )
    ).simulateIcp;
    expect(sim.publishedVersion).toBe(1);
    // Three DevOps people: no longer Tier 2, and not Tier 3 either (that needs a solo DevOps engineer).
    expect(sim.accounts[0]).toMatchObject({
      accountKey: 'mike',
      movement: 'OUT',
      changed: true,
      before: { tier: { name: 'Tier 2: Good Fit' } },
      after: { tier: null },
    });
    expect(sim.accounts[1]).toMatchObject({ movement: 'SAME', changed: false });
    expect(sim.summary).toEqual({ up: 0, down: 0, in: 0, out: 1, same: 1, changed: 1, total: 2 });

    // The example "Mike's company" expects Tier 2: publishing is refused until the draft agrees.
    const refused = await t.gql(
      `mutation { publishIcp(icp: "driftsentry", changelog: "Tier 2 needs 5 DevOps") { version } }`,
    );
    expect(refused.errors?.[0].message).toContain(
      `exampleAccounts.Mike's company: 80-person Series A FinTech: tier: expected "Tier 2: Good Fit", got "none"`,
    );
    const report = (
      await t.ok(
        `{ checkIcp(icp: "driftsentry") { publishable examples { name passed failures } warnings { kind message } } }`,
      )
    ).checkIcp;
    expect(report.publishable).toBe(false);
    expect(report.examples.filter((e: { passed: boolean }) => !e.passed).map((e: { name: string }) => e.name)).toEqual([
      "Mike's company: 80-person Series A FinTech",
    ]);

    const { exampleAccounts } = await t.ok(`{ exampleAccounts(filter: { q: "Mike" }) { id revision } }`);
    await t.ok(entityOps('ExampleAccount').update, {
      id: exampleAccounts[0].id,
      rev: exampleAccounts[0].revision,
      input: { expectedTier: 'none' },
    });
    expect(
      (await t.ok(`mutation { publishIcp(icp: "driftsentry", changelog: "Tier 2 needs 5 DevOps") { version } }`))
        .publishIcp.version,
    ).toBe(2);
    const v2 = await score('driftsentry', account);
    expect([v2.icpVersion, v2.tier]).toEqual([2, null]);
    expect(await score('driftsentry', account, 'acct', 1)).toEqual(v1);
  });

  it('warns about overlapping tiers, uncovered scores and constant rules before publishing', async () => {
    const report = (
      await t.ok(
        `{ checkIcp(icp: "ml-inference") { publishable warnings { kind message ids example } examples { passed } } }`,
      )
    ).checkIcp;
    expect(report.publishable).toBe(true);
    const overlaps = (warnings: { kind: string; message: string }[]) =>
      warnings.filter((w) => w.kind === 'TIER_OVERLAP').map((w) => w.message);
    // The seed's revenue ranges are ranges: no account meets two tiers.
    expect(overlaps(report.warnings)).toEqual([]);
    const itsm = (await t.ok(`{ checkIcp(icp: "itsm") { warnings { kind message } } }`)).checkIcp;
    expect(itsm.warnings.map((w: { kind: string }) => w.kind)).toContain('NO_BANDS');
    // An MSP of 200 - 5,000 employees meets both segments (rank 1 wins): the seed does not say which is its ICP.
    expect(overlaps(itsm.warnings)).toEqual([
      expect.stringContaining(
        '"Primary ICP: Mid-Market" (rank 1) and "Secondary ICP: Managed Service Providers (MSPs)" (rank 2) both match some accounts',
      ),
    ]);
  });

  it('checks an expression as the console types it', async () => {
    const q = `query($e: String!, $k: ExpressionKind) { checkExpression(expression: $e, kind: $k) { valid message start end attributes } }`;
    expect((await t.ok(q, { e: "account.employees > 10 && 'aws' in account.cloudProviders" })).checkExpression).toEqual(
      {
        valid: true,
        message: null,
        start: null,
        end: null,
        attributes: ['employees', 'cloudProviders'],
      },
    );
    expect((await t.ok(q, { e: 'account.employes > 10' })).checkExpression).toMatchObject({
      valid: false,
      start: 8,
      end: 16,
    });
    expect((await t.ok(q, { e: 'account.useCaseFit', k: 'POINTS' })).checkExpression.valid).toBe(true);
  });
});

describe('honest tiers, disqualification and missing data (issue 14)', () => {
  const HONEST = `query($icp: String!, $a: AccountInput!) {
    fitScore(icp: $icp, account: $a) {
      score disqualified action undetermined decidingAttributes missingAttributes
      band { name action provenance { derived } } tier { name rank provenance { derived document section reasoning } }
      nearestTier { tier { name rank } held total conditions { text outcome attributes error } }
      tierMatches { tier { rank } held total conditions { outcome } }
      disqualifiers { name provenance { derived } } explanation { kind provenance { derived } }
    }
  }`;
  const honest = async (attributes: Record<string, unknown>) =>
    (await t.ok(HONEST, { icp: 'ml-inference', a: { attributes } })).fitScore;
  const known = { ...strategic, ...ratings(9, 9, 9, 10), deployment: 'cloud', lookingForConsulting: false };

  it('a disqualified account has no band and is told not to pursue, with the reason', async () => {
    const s = await honest({ ...known, mlMaturity: 'none', deployment: 'on-premise-only' });
    expect(s).toMatchObject({ disqualified: true, band: null, undetermined: false, decidingAttributes: [] });
    expect(s.action).toMatch(/^Do not pursue: Poor fit indicator: no clear ML use case/);
  });

  it('reports every tier condition by condition, and the nearest tier when none holds', async () => {
    // Tier 3's ranges: revenue $10M-$100M fails (5M), budget under $100K fails (1M); the rest hold.
    const s = await honest({ ...known, annualRevenueUsd: 5e6, inferencesPerDay: 500 });
    expect(s.tier).toBeNull();
    expect(s.tierMatches.map((m: any) => [m.tier.rank, m.held, m.total])).toEqual([
      [1, 2, 4],
      [2, 4, 7],
      [3, 5, 7],
    ]);
    expect(s.nearestTier).toMatchObject({ tier: { name: 'Tier 3: Growth', rank: 3 }, held: 5, total: 7 });
    expect(s.nearestTier.conditions[0]).toEqual({
      text: 'account.annualRevenueUsd >= 10000000.0',
      outcome: 'FAILED',
      attributes: ['annualRevenueUsd'],
      error: null,
    });
    expect(s.nearestTier.conditions.filter((c: any) => c.outcome === 'FAILED').map((c: any) => c.text)).toEqual([
      'account.annualRevenueUsd >= 10000000.0',
      'account.annualBudgetUsd < 100000.0',
    ]);
    expect(s.undetermined).toBe(false);
    expect(s.action).toBe(s.band.action);
  });

  it('an account lacking what decides it needs data; one with no data is not a decline', async () => {
    const { annualBudgetUsd: _drop, ...rest } = known;
    const s = await honest(rest);
    expect(s).toMatchObject({
      tier: null,
      undetermined: true,
      decidingAttributes: ['annualBudgetUsd'],
      action: 'Needs data: annualBudgetUsd',
      // Tier 1 lacks only the budget; tier 2 holds more conditions (4 of 7) but fails 3: tier 1 is nearer.
      nearestTier: { tier: { rank: 1 }, held: 3, total: 4 },
    });
    expect(s.tierMatches[0].conditions.map((c: any) => c.outcome)).toEqual(['HELD', 'HELD', 'HELD', 'UNKNOWN']);
    const empty = await honest({});
    expect(empty.undetermined).toBe(true);
    expect(empty.action).toMatch(/^Needs data: /);
    expect(empty.band.name).toBe('Decline or refer');
  });

  it('names the provenance of the parts a score names (null when a part records none)', async () => {
    const s = await honest(known);
    for (const p of [s.tier.provenance, s.band.provenance, ...s.explanation.map((c: any) => c.provenance)])
      expect(p === null || typeof p.derived === 'boolean').toBe(true);
  });
});

describe('fitScores: a time budget per call', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ config: { scoreTimeBudgetMs: 1 } });
  });
  afterAll(() => slow.close());

  it('stops a call past its budget with a clear error, never a partial answer', async () => {
    const accounts = Array.from({ length: 10_000 }, (_, i) => ({
      key: `a${i}`,
      attributes: { ...strategic, ...ratings(i % 11, 5, 5, 5) },
    }));
    const res = await slow.gql(
      `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { accountKey score } }`,
      { as: accounts },
    );
    expect(res.data).toBeNull();
    expect(res.errors![0].extensions!.code).toBe('SCORE_TIME_BUDGET_EXCEEDED');
    expect(res.errors![0].message).toMatch(
      /^Scoring stopped after [\d,]+ of 10,000 accounts: the time budget of 1 ms per call \(SCORE_TIME_BUDGET_MS\) was used up; send fewer accounts per call$/,
    );
    expect(res.errors![0].extensions).toMatchObject({ budgetMs: 1, accounts: 10_000 });
    // One account is within any budget.
    expect(
      (await slow.ok(`{ fitScore(icp: "ml-inference", account: { attributes: {} }) { score } }`)).fitScore.score,
    ).toBe(0);
  });
});

describe('scoringAttributes: what a published version reads', () => {
  it('lists the attributes its expressions use, sorted, and scoring only those gives the same answer', async () => {
    const { scoringAttributes, attributeDefinitions } = await t.ok(
      `{ scoringAttributes(icp: "ml-inference") attributeDefinitions(limit: 500) { name } }`,
    );
    const catalogue = attributeDefinitions.map((a: { name: string }) => a.name);
    expect(scoringAttributes).toEqual([...scoringAttributes].sort());
    expect(scoringAttributes).toEqual(expect.arrayContaining(['annualRevenueUsd', 'useCaseFit']));
    expect(scoringAttributes.every((n: string) => catalogue.includes(n))).toBe(true);
    expect(scoringAttributes.length).toBeLessThan(catalogue.length);
    const only = Object.fromEntries(Object.entries(strategic).filter(([k]) => scoringAttributes.includes(k)));
    expect(await score('ml-inference', only)).toEqual(await score('ml-inference', strategic));
  });

  it('names an unknown ICP', async () => {
    const { errors } = await t.gql(`{ scoringAttributes(icp: "no-such-icp") }`);
    expect(errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(errors?.[0].message).toMatch(/no-such-icp/);
  });
});
