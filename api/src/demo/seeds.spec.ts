import { checkerFor } from '../scoring-engine/cel';
import { compileModel, type CompiledModel, type FitScore } from '../scoring-engine/engine';
import { snapshotFromFile } from '../scoring-engine/from-file';
import { readYaml } from './load-demo';

/**
 * The demo ICPs score as their seeds say (api/src/demo/README.md gives each
 * reading): tiers on both sides of every stated bound, disqualifiers, bands;
 * for each seed, the band and action on both sides of each band boundary (or,
 * with no bands, the action saying so), disqualified accounts, and accounts
 * with missing data that decides or does not (issue 14). Pure: each file is
 * compiled without a database.
 */
type Attrs = Record<string, unknown>;
type Row = Record<string, any>;

const catalogue = (readYaml('workspace.yaml') as { attributes: Row[] }).attributes;

async function model(slug: string): Promise<{ m: CompiledModel; file: Row }> {
  const file = readYaml(`${slug}.icp.yaml`) as Row;
  const snapshot = snapshotFromFile(file, catalogue);
  const m = compileModel(
    { icpId: snapshot.icp.id, icpSlug: slug, version: 1, snapshot },
    await checkerFor(catalogue as never),
  );
  return { m, file };
}

const tierOf = (s: FitScore) => s.tier?.name ?? 'none';

/** The base account with a change; an attribute changed to undefined is one the account lacks. */
const changed = (base: Attrs, change: Attrs): Attrs =>
  Object.fromEntries(Object.entries({ ...base, ...change }).filter(([, v]) => v !== undefined));

/** Each case: what to change in the base account, and what `view` must then show of its score. */
function expectEach<T>(m: CompiledModel, base: Attrs, view: (s: FitScore) => T, cases: [Attrs, T][]) {
  expect(cases.map(([change]) => [change, view(m.score({ attributes: changed(base, change) }))])).toEqual(cases);
}

/** Each case: what to change in the base account, and the tier it must then get. */
const expectTiers = (m: CompiledModel, base: Attrs, cases: [Attrs, string][]) => expectEach(m, base, tierOf, cases);

/** What sales is told: the tier, the band, the action, and the missing attributes that could change them. */
const verdict = (s: FitScore) => ({
  tier: tierOf(s),
  band: s.band?.name ?? null,
  action: s.action,
  undetermined: s.undetermined,
  deciding: s.decidingAttributes,
});
type Verdict = ReturnType<typeof verdict>;

/** A verdict with every missing attribute decided: no band, so the action says the ICP defines none. */
const noBand = (tier: string): Verdict => ({
  tier,
  band: null,
  action: 'No action band: this ICP defines none',
  undetermined: false,
  deciding: [],
});

/** A verdict that needs data: the action names the attributes that could change it. */
const needs = (tier: string, band: string | null, ...deciding: string[]): Verdict => ({
  tier,
  band,
  action: `Needs data: ${deciding.join(', ')}`,
  undetermined: true,
  deciding,
});

/** Disqualified, band and action, whether undetermined: what a disqualifier leaves of a score. */
const disqualification = (s: FitScore) => [s.disqualified, s.band?.name ?? null, s.action, s.undetermined];

/** Each account has every attribute the model reads: nothing missing, so nothing undetermined. */
function expectComplete(m: CompiledModel, ...accounts: Attrs[]) {
  for (const account of accounts) {
    const s = m.score({ attributes: account });
    expect([s.missingAttributes, s.undetermined]).toEqual([[], false]);
  }
}

/** Every example account of the file gets the outcome it states (publishing checks the same). */
function expectExamplesPass(m: CompiledModel, file: Row) {
  for (const e of file.exampleAccounts as Row[]) {
    const s = m.score({ key: e.name, attributes: e.attributes });
    if (e.expectedTier !== undefined) expect([e.name, tierOf(s)]).toEqual([e.name, e.expectedTier]);
    if (e.expectedDisqualified !== undefined)
      expect([e.name, s.disqualified]).toEqual([e.name, e.expectedDisqualified]);
    if (e.expectedBand !== undefined) expect([e.name, s.band?.name ?? 'none']).toEqual([e.name, e.expectedBand]);
  }
}

describe('itsm (seed 000)', () => {
  let m: CompiledModel;
  let file: Row;
  beforeAll(async () => ({ m, file } = await model('itsm')));

  it('Primary ICP: 200 - 5,000 employees, both ends included, whatever tools the account runs', () => {
    expectTiers(m, { isMsp: false }, [
      [{ employees: 199 }, 'none'],
      [{ employees: 200 }, 'Primary ICP: Mid-Market'],
      [{ employees: 5000 }, 'Primary ICP: Mid-Market'],
      [{ employees: 5001 }, 'none'],
      [{ employees: 800, currentTools: ['jira'] }, 'Primary ICP: Mid-Market'],
    ]);
  });

  it('Secondary ICP: any MSP outside the mid-market range; an MSP inside it is in the primary segment (rank 1)', () => {
    expectTiers(m, { isMsp: true }, [
      [{ employees: 90 }, 'Secondary ICP: Managed Service Providers (MSPs)'],
      [{ employees: 20000 }, 'Secondary ICP: Managed Service Providers (MSPs)'],
      [{ employees: 1000 }, 'Primary ICP: Mid-Market'],
      [{}, 'Secondary ICP: Managed Service Providers (MSPs)'],
    ]);
  });

  it('names the four key personas for both segments', () => {
    const all = ['IT Director / CIO', 'Service Desk Manager', 'IT Asset Manager', 'HR / Facilities Lead'];
    expect(m.score({ attributes: { employees: 800 } }).personas.map((p) => p.name)).toEqual(all);
    expect(m.score({ attributes: { employees: 90, isMsp: true } }).personas.map((p) => p.name)).toEqual(all);
  });

  it('an account with no data: no segment, not disqualified, its missing attributes listed; no bands', () => {
    const s = m.score({ attributes: {} });
    expect([tierOf(s), s.disqualified, s.band]).toEqual(['none', false, null]);
    expect(s.missingAttributes).toEqual(expect.arrayContaining(['employees', 'isMsp']));
  });

  it('scores the basic tools in Segment fit, not in the segment', () => {
    const s = m.score({ attributes: { employees: 800, currentTools: ['excel'] } });
    expect(s.dimensions.find((d) => d.name === 'Segment fit')?.score).toBe(10);
  });

  describe('band, action and undetermined', () => {
    const primary = 'Primary ICP: Mid-Market';
    const msp = 'Secondary ICP: Managed Service Providers (MSPs)';
    // Every attribute the model reads.
    const complete = {
      employees: 800,
      isMsp: false,
      currentTools: ['excel'],
      signals: ['compliance_audit'],
      departments: ['HR'],
    };

    it('the seed defines no action bands: a complete account on either side of each bound gets "no action band"', () => {
      expect(file.scoring.bands ?? []).toEqual([]);
      expectComplete(m, complete);
      expectEach(m, complete, verdict, [
        [{ employees: 199 }, noBand('none')],
        [{ employees: 200 }, noBand(primary)],
        [{ employees: 5000 }, noBand(primary)],
        [{ employees: 5001 }, noBand('none')],
        [{ employees: 90, isMsp: true }, noBand(msp)],
        [{ employees: 20000, isMsp: true }, noBand(msp)],
      ]);
    });

    it('the seed defines no disqualifiers: no account is disqualified', () => {
      expect(file.disqualifiers ?? []).toEqual([]);
      expectEach(m, complete, disqualification, [
        [{ employees: 1 }, [false, null, 'No action band: this ICP defines none', false]],
        [{ employees: 1e6 }, [false, null, 'No action band: this ICP defines none', false]],
      ]);
    });

    it('missing data: needs the size or the MSP flag when it could place the account in a segment', () => {
      expectEach(m, complete, verdict, [
        [{ employees: undefined }, needs('none', null, 'employees')],
        [{ employees: 100, isMsp: undefined }, needs('none', null, 'isMsp')],
        [{ employees: undefined, isMsp: undefined }, needs('none', null, 'employees', 'isMsp')],
        // An MSP is in the secondary segment, unless its size puts it in the primary one.
        [{ employees: undefined, isMsp: true }, needs(msp, null, 'employees')],
      ]);
    });

    it('missing data that cannot change the segment leaves the account determined', () => {
      expectEach(m, complete, verdict, [
        // Rank 1 holds: whether it is an MSP changes nothing.
        [{ isMsp: undefined }, noBand(primary)],
        // Points only, and no band for them to change.
        [{ currentTools: undefined, signals: undefined, departments: undefined }, noBand(primary)],
      ]);
      const s = m.score({ attributes: changed(complete, { currentTools: undefined, signals: undefined }) });
      expect(s.missingAttributes).toEqual(['currentTools', 'signals']);
    });
  });

  it('example accounts pass', () => expectExamplesPass(m, file));
});

describe('make-enterprise (seed 002)', () => {
  let m: CompiledModel;
  let file: Row;
  beforeAll(async () => ({ m, file } = await model('make-enterprise')));
  const scaleUps = 'Fast-growing & Maturing startups/scale-ups';
  const frontOffices = 'Front offices of mid-market to large companies';

  it('scale-ups: +30% YoY growth, under $100M, E-commerce or SaaS, digitally native', () => {
    const base = {
      employeeGrowthYoY: 0.45,
      annualRevenueUsd: 40e6,
      industry: 'SaaS',
      digitalNative: true,
      employees: 300,
    };
    expectTiers(m, base, [
      [{}, scaleUps],
      [{ employeeGrowthYoY: 0.3 }, scaleUps],
      [{ employeeGrowthYoY: 0.29 }, 'none'],
      [{ annualRevenueUsd: 99_999_999 }, scaleUps],
      [{ annualRevenueUsd: 100e6 }, 'none'],
      [{ industry: 'E-commerce' }, scaleUps],
      [{ industry: 'Manufacturing' }, 'none'],
      [{ digitalNative: false }, 'none'],
    ]);
  });

  it('front offices: 1,000+ FTEs and $500M+, with a front office or an internal startup as the buyer', () => {
    const base = { employees: 5000, annualRevenueUsd: 1e9, digitalNative: false, employeeGrowthYoY: 0.02 };
    expectTiers(m, base, [
      [{ departments: ['Marketing'] }, frontOffices],
      [{ departments: ['Innovation'] }, frontOffices],
      [{ employees: 1000 }, frontOffices],
      [{ employees: 999 }, 'none'],
      [{ annualRevenueUsd: 500e6 }, frontOffices],
      [{ annualRevenueUsd: 499_999_999 }, 'none'],
    ]);
  });

  it('an account with no data: no segment, not disqualified, no band', () => {
    const s = m.score({ attributes: {} });
    expect([tierOf(s), s.disqualified, s.band]).toEqual(['none', false, null]);
    expect(s.missingAttributes).toEqual(expect.arrayContaining(['employeeGrowthYoY', 'employees']));
  });

  describe('band, action and undetermined', () => {
    // Every attribute the model reads: a scale-up, and a front office.
    const scaleUp = {
      employeeGrowthYoY: 0.45,
      annualRevenueUsd: 40e6,
      industry: 'SaaS',
      digitalNative: true,
      employees: 300,
      departments: ['Marketing'],
      currentTools: ['hubspot'],
    };
    const frontOffice = {
      employeeGrowthYoY: 0.02,
      annualRevenueUsd: 1e9,
      industry: 'Manufacturing',
      digitalNative: false,
      employees: 5000,
      departments: ['Sales'],
      currentTools: ['salesforce'],
    };

    it('the seed defines no action bands: a complete account on either side of each bound gets "no action band"', () => {
      expect(file.scoring.bands ?? []).toEqual([]);
      expectComplete(m, scaleUp, frontOffice);
      expectEach(m, scaleUp, verdict, [
        [{ employeeGrowthYoY: 0.3 }, noBand(scaleUps)],
        [{ employeeGrowthYoY: 0.29 }, noBand('none')],
        [{ annualRevenueUsd: 99_999_999 }, noBand(scaleUps)],
        [{ annualRevenueUsd: 100e6 }, noBand('none')],
      ]);
      expectEach(m, frontOffice, verdict, [
        [{ employees: 1000 }, noBand(frontOffices)],
        [{ employees: 999 }, noBand('none')],
        [{ annualRevenueUsd: 500e6 }, noBand(frontOffices)],
        [{ annualRevenueUsd: 499_999_999 }, noBand('none')],
      ]);
    });

    it('the seed defines no disqualifiers: no account is disqualified', () => {
      expect(file.disqualifiers ?? []).toEqual([]);
      expectEach(m, scaleUp, disqualification, [
        [{ employees: 1, annualRevenueUsd: 0 }, [false, null, 'No action band: this ICP defines none', false]],
      ]);
    });

    it('missing data: needs what could place the account in a segment', () => {
      expectEach(m, scaleUp, verdict, [
        [{ digitalNative: undefined }, needs('none', null, 'digitalNative')],
        [{ employeeGrowthYoY: undefined, industry: undefined }, needs('none', null, 'employeeGrowthYoY', 'industry')],
      ]);
      expectEach(m, frontOffice, verdict, [
        [{ employees: undefined }, needs('none', null, 'employees')],
        // A front office's revenue could also make it a scale-up, but its growth already rules that out.
        [{ annualRevenueUsd: undefined }, needs('none', null, 'annualRevenueUsd')],
      ]);
    });

    it('missing data that cannot change the segment leaves the account determined (unknown && false is false)', () => {
      expectEach(m, frontOffice, verdict, [
        // The scale-up segment fails on revenue ($1B), whatever the growth, industry or digital nativeness.
        [{ employeeGrowthYoY: undefined, industry: undefined, digitalNative: undefined }, noBand(frontOffices)],
        // Points only, and no band for them to change.
        [{ departments: undefined, currentTools: undefined }, noBand(frontOffices)],
      ]);
      // Rank 1 holds: the front-office lines change nothing.
      expectEach(m, scaleUp, verdict, [[{ employees: undefined }, noBand(scaleUps)]]);
    });
  });

  it('example accounts pass', () => expectExamplesPass(m, file));
});

describe('ml-inference (seed 003)', () => {
  let m: CompiledModel;
  let file: Row;
  beforeAll(async () => ({ m, file } = await model('ml-inference')));
  const ratings = (u: number, c: number, t: number, s: number) => ({
    useCaseFit: u,
    commercialFit: c,
    technicalFit: t,
    strategicValue: s,
  });
  const tier1 = { annualRevenueUsd: 5e9, mlMaturity: 'dedicated', inferencesPerDay: 5e6, annualBudgetUsd: 1e6 };
  const tier2 = { annualRevenueUsd: 300e6, mlMaturity: 'growing', inferencesPerDay: 50_000, annualBudgetUsd: 250_000 };
  const tier3 = { annualRevenueUsd: 20e6, mlMaturity: 'early', inferencesPerDay: 500, annualBudgetUsd: 50_000 };

  it('Tier 1: $1B+, dedicated ML team, millions a day, $500K+', () => {
    expectTiers(m, tier1, [
      [{}, 'Tier 1: Strategic'],
      [{ annualRevenueUsd: 1e9 }, 'Tier 1: Strategic'],
      [{ annualRevenueUsd: 999_999_999 }, 'none'],
      [{ inferencesPerDay: 1e6 }, 'Tier 1: Strategic'],
      [{ inferencesPerDay: 999_999 }, 'none'],
      [{ annualBudgetUsd: 500_000 }, 'Tier 1: Strategic'],
      [{ mlMaturity: 'growing' }, 'none'],
    ]);
  });

  it('Tier 2: $100M-$1B and $100K-$500K are ranges: far above them is not Tier 2', () => {
    expectTiers(m, tier2, [
      [{}, 'Tier 2: Enterprise'],
      [{ annualRevenueUsd: 100e6 }, 'Tier 2: Enterprise'],
      [{ annualRevenueUsd: 99_999_999 }, 'none'],
      [{ annualRevenueUsd: 999_999_999 }, 'Tier 2: Enterprise'],
      [{ annualRevenueUsd: 5e9 }, 'none'],
      [{ annualBudgetUsd: 100_000 }, 'Tier 2: Enterprise'],
      [{ annualBudgetUsd: 99_999 }, 'none'],
      [{ annualBudgetUsd: 499_999 }, 'Tier 2: Enterprise'],
      [{ annualBudgetUsd: 500_000 }, 'none'],
      [{ inferencesPerDay: 1000 }, 'Tier 2: Enterprise'],
      [{ inferencesPerDay: 999 }, 'none'],
      [{ mlMaturity: 'dedicated' }, 'Tier 2: Enterprise'],
      [{ mlMaturity: 'early' }, 'none'],
    ]);
  });

  it('Tier 3: $10M-$100M, hundreds to thousands a day, $20K-$100K', () => {
    expectTiers(m, tier3, [
      [{}, 'Tier 3: Growth'],
      [{ annualRevenueUsd: 10e6 }, 'Tier 3: Growth'],
      [{ annualRevenueUsd: 9_999_999 }, 'none'],
      [{ annualRevenueUsd: 100e6 }, 'none'],
      [{ inferencesPerDay: 100 }, 'Tier 3: Growth'],
      [{ inferencesPerDay: 99 }, 'none'],
      [{ inferencesPerDay: 999_999 }, 'Tier 3: Growth'],
      [{ inferencesPerDay: 1e6 }, 'none'],
      [{ annualBudgetUsd: 20_000 }, 'Tier 3: Growth'],
      [{ annualBudgetUsd: 19_999 }, 'none'],
      [{ annualBudgetUsd: 100_000 }, 'none'],
      [{ mlMaturity: 'none' }, 'none'],
    ]);
  });

  it('disqualifies the poor-fit indicators, on both sides of "Budget <$10K annually"', () => {
    const dq = (change: Attrs) =>
      m
        .score({ attributes: { ...tier3, ...change } })
        .disqualifiers.map((d) => d.name)
        .join(', ') || 'none';
    expect(
      [
        { industry: 'Government' },
        { deployment: 'on-premise-only' },
        { lookingForConsulting: true },
        { mlMaturity: 'none' },
        { annualBudgetUsd: 9_999 },
        { annualBudgetUsd: 10_000 },
        { deployment: 'hybrid', lookingForConsulting: false, industry: 'Gaming' },
      ].map(dq),
    ).toEqual([
      'Extremely regulated (government)',
      'Require on-premise only',
      'Looking for consulting, not platform',
      'No clear ML use case',
      'Budget <$10K annually',
      'none',
      'none',
    ]);
  });

  it('an account with missing data: no tier, its missing attributes listed', () => {
    const { annualRevenueUsd: _r, ...noRevenue } = tier1;
    const s = m.score({ attributes: noRevenue });
    expect([tierOf(s), s.disqualified]).toEqual(['none', false]);
    expect(s.missingAttributes).toEqual(
      expect.arrayContaining(['annualRevenueUsd', 'useCaseFit', 'deployment', 'lookingForConsulting', 'industry']),
    );
  });

  it('lists the CFO only for large deals ($500K+ a year)', () => {
    const personas = (a: Attrs) => m.score({ attributes: a }).personas.map((p) => p.name);
    expect(personas({ annualBudgetUsd: 500_000 })).toContain('CFO');
    expect(personas({ annualBudgetUsd: 499_999 })).not.toContain('CFO');
    expect(personas({})).toEqual(['Head of ML/AI', 'VP Engineering', 'CTO/VP Product']);
  });

  it('matches "Healthcare/Life Sciences" and "Media/Entertainment" on either name, with their technical patterns', () => {
    const useCases = (industry: string) => m.score({ attributes: { industry } }).useCases.map((u) => u.name);
    expect(useCases('Life Sciences')).toEqual(['Healthcare/Life Sciences', 'Edge Deployment']);
    expect(useCases('Healthcare')).toEqual(['Healthcare/Life Sciences', 'Edge Deployment']);
    expect(useCases('Entertainment')).toEqual(['Media/Entertainment', 'Batch Processing']);
    expect(useCases('Gaming')).toEqual(['Gaming', 'Real-time Inference']);
    expect(useCases('Government')).toEqual([]);
  });

  it('example accounts pass', () => expectExamplesPass(m, file));

  describe('band, action and undetermined', () => {
    // Every attribute the model reads: a Tier 1 account, rated 9/9/9/10 = 37.
    const complete = {
      ...tier1,
      ...ratings(9, 9, 9, 10),
      industry: 'Financial Services',
      deployment: 'cloud',
      lookingForConsulting: false,
      signals: ['funding_round'],
    };
    const noUseCase =
      "Poor fit indicator: no clear ML use case. Our reading: an account with no ML maturity at all (mlMaturity 'none') has no clear ML use case.";
    const scoreBandAction = (s: FitScore) => [s.score, s.band?.name ?? null, s.action, s.undetermined];

    it('a rated Tier 1 account gets its band action', () => {
      expectComplete(m, complete);
      expect(verdict(m.score({ attributes: complete }))).toEqual({
        tier: 'Tier 1: Strategic',
        band: 'Immediate priority',
        action: 'Immediate priority, full resources',
        undetermined: false,
        deciding: [],
      });
    });

    it('bands and actions on both sides of 35, 25 and 15 ("35-40", "25-34", "15-24", "<15")', () => {
      expectEach(m, complete, scoreBandAction, [
        [ratings(10, 10, 10, 10), [40, 'Immediate priority', 'Immediate priority, full resources', false]],
        [ratings(10, 10, 10, 5), [35, 'Immediate priority', 'Immediate priority, full resources', false]],
        [ratings(10, 10, 10, 4.5), [34.5, 'Active pursuit', 'Active pursuit, standard process', false]],
        [ratings(10, 10, 10, 4), [34, 'Active pursuit', 'Active pursuit, standard process', false]],
        [ratings(10, 5, 5, 5), [25, 'Active pursuit', 'Active pursuit, standard process', false]],
        [ratings(6, 6, 6, 6), [24, 'Nurture', 'Nurture, automated touches', false]],
        [ratings(5, 5, 5, 0), [15, 'Nurture', 'Nurture, automated touches', false]],
        [ratings(4, 4, 4, 2.5), [14.5, 'Decline or refer', 'Decline or refer', false]],
        [ratings(4, 4, 4, 2), [14, 'Decline or refer', 'Decline or refer', false]],
        [ratings(0, 0, 0, 0), [0, 'Decline or refer', 'Decline or refer', false]],
      ]);
    });

    it('the band goes by the score alone: an account in no tier still gets its band action', () => {
      // The seed's $5B company with a Tier 2 budget: in no tier, rated 37.
      expectEach(m, complete, verdict, [
        [
          { annualBudgetUsd: 200_000 },
          {
            tier: 'none',
            band: 'Immediate priority',
            action: 'Immediate priority, full resources',
            undetermined: false,
            deciding: [],
          },
        ],
      ]);
    });

    it('a disqualified account has no band, whatever its score, and "Do not pursue: <reason>"', () => {
      const pursue = [false, 'Immediate priority', 'Immediate priority, full resources', false];
      expectEach(m, { ...complete, ...ratings(10, 10, 10, 10) }, disqualification, [
        [{ mlMaturity: 'none' }, [true, null, 'Do not pursue: ' + noUseCase, false]],
        [
          { industry: 'Government' },
          [true, null, 'Do not pursue: Poor fit indicator: extremely regulated (government).', false],
        ],
        [
          { deployment: 'on-premise-only' },
          [true, null, 'Do not pursue: Poor fit indicator: requires on-premise only.', false],
        ],
        [{ deployment: 'hybrid' }, pursue],
        [
          { annualBudgetUsd: 9_999 },
          [true, null, 'Do not pursue: Poor fit indicator: budget under $10K annually.', false],
        ],
        [{ annualBudgetUsd: 10_000 }, pursue],
        [
          { lookingForConsulting: true },
          [true, null, 'Do not pursue: Poor fit indicator: looking for consulting, not platform.', false],
        ],
        // Two hold: the action names the first in the file's order.
        [
          { industry: 'Government', deployment: 'on-premise-only' },
          [true, null, 'Do not pursue: Poor fit indicator: extremely regulated (government).', false],
        ],
      ]);
    });

    it('a disqualified account is determined, however much it lacks', () => {
      const s = m.score({ attributes: { industry: 'Government' } });
      expect([s.disqualified, s.band, s.undetermined, s.decidingAttributes]).toEqual([true, null, false, []]);
      expect(s.action).toBe('Do not pursue: Poor fit indicator: extremely regulated (government).');
      expect(s.missingAttributes).toEqual(expect.arrayContaining(['annualBudgetUsd', 'useCaseFit']));
    });

    it('missing data: needs what could change the tier, a disqualifier or the band', () => {
      expectEach(m, complete, verdict, [
        // Tier 1 but for the budget, which a disqualifier reads too.
        [{ annualBudgetUsd: undefined }, needs('none', 'Immediate priority', 'annualBudgetUsd')],
        // Tier 1 but for the maturity; 'none' would disqualify.
        [{ mlMaturity: undefined }, needs('none', 'Immediate priority', 'mlMaturity')],
        // A disqualifier's attribute alone.
        [{ industry: undefined }, needs('Tier 1: Strategic', 'Immediate priority', 'industry')],
        [{ deployment: undefined }, needs('Tier 1: Strategic', 'Immediate priority', 'deployment')],
        [{ lookingForConsulting: undefined }, needs('Tier 1: Strategic', 'Immediate priority', 'lookingForConsulting')],
        // 27 without the rating, up to 37 with it: "Active pursuit" or "Immediate priority".
        [{ strategicValue: undefined }, needs('Tier 1: Strategic', 'Active pursuit', 'strategicValue')],
        [
          { annualBudgetUsd: undefined, strategicValue: undefined },
          needs('none', 'Active pursuit', 'annualBudgetUsd', 'strategicValue'),
        ],
        // 5 without the rating, up to 15: "Decline or refer" or "Nurture".
        [
          { ...ratings(0, 0, 5, 0), strategicValue: undefined },
          needs('Tier 1: Strategic', 'Decline or refer', 'strategicValue'),
        ],
      ]);
    });

    it('missing data that cannot change the outcome leaves the account determined', () => {
      const determined = (tier: string, band: string, action: string): Verdict => ({
        tier,
        band,
        action,
        undetermined: false,
        deciding: [],
      });
      expectEach(m, complete, verdict, [
        // A trigger's attribute: no tier, disqualifier or band reads it.
        [
          { signals: undefined },
          determined('Tier 1: Strategic', 'Immediate priority', 'Immediate priority, full resources'),
        ],
        // 4 without the rating, at most 14: "Decline or refer" either way (one point below the 15 of the case above).
        [
          { ...ratings(0, 0, 4, 0), strategicValue: undefined },
          determined('Tier 1: Strategic', 'Decline or refer', 'Decline or refer'),
        ],
        // unknown && false is false: below every tier's revenue, the volume cannot place it in one.
        [
          { annualRevenueUsd: 5e6, inferencesPerDay: undefined },
          determined('none', 'Immediate priority', 'Immediate priority, full resources'),
        ],
      ]);
      const s = m.score({ attributes: changed(complete, { annualRevenueUsd: 5e6, inferencesPerDay: undefined }) });
      // Each tier fails on revenue; its volume condition is unknown, and decides nothing.
      expect(s.tierMatches.map((t) => t.conditions.map((c) => c.outcome[0]).join(''))).toEqual([
        'FHUH',
        'FHHUUHF',
        'FHHUUHF',
      ]);
    });

    it('an account without ratings is undetermined, deciding on the ratings', () => {
      const unrated = {
        useCaseFit: undefined,
        commercialFit: undefined,
        technicalFit: undefined,
        strategicValue: undefined,
      };
      const s = m.score({ attributes: changed(complete, unrated) });
      expect(verdict(s)).toEqual(
        needs('Tier 1: Strategic', 'Decline or refer', 'commercialFit', 'strategicValue', 'technicalFit', 'useCaseFit'),
      );
    });
  });
});

describe('driftsentry (seed 004)', () => {
  let m: CompiledModel;
  let file: Row;
  beforeAll(async () => ({ m, file } = await model('driftsentry')));
  const tier1 = {
    employees: 200,
    industry: 'SaaS',
    cloudProviders: ['aws'],
    monthlyCloudSpendUsd: 60_000,
    iacTools: ['terraform'],
    signals: ['drift_incident'],
    decisionMakerTitles: ['CTO'],
    devopsTeamSize: 4,
    annualBudgetUsd: 60_000,
  };
  const tier2 = {
    employees: 80,
    cloudProviders: ['aws'],
    monthlyCloudSpendUsd: 30_000,
    iacTools: ['cloudformation'],
    devopsTeamSize: 3,
    annualBudgetUsd: 24_000,
  };
  const tier3 = {
    employees: 30,
    cloudProviders: ['aws'],
    monthlyCloudSpendUsd: 8_000,
    iacTools: [],
    devopsTeamSize: 1,
    annualBudgetUsd: 12_000,
  };

  it('Tier 1: 100-300 person SaaS on AWS spending $50K+, Terraform, a drift incident, a VP Eng or CTO approver', () => {
    expectTiers(m, tier1, [
      [{}, 'Tier 1: Best Fit'],
      [{ employees: 100 }, 'Tier 1: Best Fit'],
      [{ employees: 99 }, 'none'],
      [{ employees: 300 }, 'Tier 1: Best Fit'],
      [{ employees: 301 }, 'none'],
      [{ monthlyCloudSpendUsd: 50_000 }, 'Tier 1: Best Fit'],
      [{ monthlyCloudSpendUsd: 49_999 }, 'none'],
      [{ cloudProviders: ['gcp'] }, 'none'],
      [{ signals: [] }, 'none'],
      [{ decisionMakerTitles: ['CIO'] }, 'none'],
    ]);
  });

  it('Tier 2: 50-100 people and $20-50K a month on AWS, any IaC, 3+ DevOps: ranges, not lower bounds', () => {
    expectTiers(m, tier2, [
      [{}, 'Tier 2: Good Fit'],
      [{ employees: 50 }, 'Tier 2: Good Fit'],
      [{ employees: 49 }, 'none'],
      [{ employees: 100 }, 'Tier 2: Good Fit'],
      [{ employees: 101 }, 'none'],
      [{ monthlyCloudSpendUsd: 20_000 }, 'Tier 2: Good Fit'],
      [{ monthlyCloudSpendUsd: 19_999 }, 'none'],
      [{ monthlyCloudSpendUsd: 50_000 }, 'Tier 2: Good Fit'],
      [{ monthlyCloudSpendUsd: 50_001 }, 'none'],
      [{ devopsTeamSize: 2 }, 'none'],
      [{ iacTools: [] }, 'none'],
      [{ cloudProviders: ['azure'] }, 'none'],
    ]);
  });

  it('Tier 3: every line of it, so a large company never lands in "Maybe"', () => {
    expectTiers(m, tier3, [
      [{}, 'Tier 3: Maybe'],
      [{ employees: 49 }, 'Tier 3: Maybe'],
      [{ employees: 50 }, 'none'],
      [{ monthlyCloudSpendUsd: 19_999 }, 'Tier 3: Maybe'],
      [{ monthlyCloudSpendUsd: 20_000 }, 'none'],
      [{ devopsTeamSize: 0 }, 'Tier 3: Maybe'],
      [{ devopsTeamSize: 2 }, 'none'],
      [{ iacTools: ['pulumi'] }, 'none'],
      [{ employees: 1500, monthlyCloudSpendUsd: 200_000, iacTools: ['terraform'], devopsTeamSize: 12 }, 'none'],
    ]);
  });

  it('disqualifies the anti-ICP on both sides of each bound', () => {
    const dq = (change: Attrs) => m.score({ attributes: { ...tier2, ...change } }).disqualified;
    expect(
      [
        { employees: 9 },
        { employees: 10 },
        { employees: 2000 },
        { employees: 2001 },
        { cloudProviders: [] },
        { annualBudgetUsd: 5_999 },
        { annualBudgetUsd: 6_000 },
      ].map(dq),
    ).toEqual([true, false, false, true, true, true, false]);
  });

  it('counts "$20K+ monthly AWS spend" only on an account on AWS', () => {
    const points = (a: Attrs) =>
      m
        .score({ attributes: a })
        .dimensions.find((d) => d.name === 'Must-have stack')!
        .hits.map((h) => h.name);
    expect(points({ cloudProviders: ['gcp'], monthlyCloudSpendUsd: 90_000 })).toEqual([]);
    expect(points({ cloudProviders: ['aws'], monthlyCloudSpendUsd: 20_000 })).toEqual([
      'AWS',
      '$20K+ monthly AWS spend',
    ]);
    expect(points({ cloudProviders: ['aws'], monthlyCloudSpendUsd: 19_999 })).toEqual(['AWS']);
  });

  it('an account with no data: no tier, not disqualified, no band; its missing attributes listed', () => {
    const s = m.score({ attributes: {} });
    expect([tierOf(s), s.disqualified, s.band]).toEqual(['none', false, null]);
    expect(s.missingAttributes).toEqual(expect.arrayContaining(['employees', 'cloudProviders', 'annualBudgetUsd']));
  });

  it('gives the security team and the CFO both their roles', () => {
    const roles = Object.fromEntries(
      m.score({ attributes: tier2 }).personas.map((p) => [p.name, p.buyingRoles as string[]]),
    );
    expect(roles['Security/Compliance team']).toEqual(['INFLUENCER', 'BLOCKER']);
    expect(roles.CFO).toEqual(['INFLUENCER', 'BLOCKER']);
  });

  describe('band, action and undetermined', () => {
    const best = 'Tier 1: Best Fit';
    const costSensitive =
      "Won't pay $500/month. Our reading: a team whose yearly budget for this category is under $6,000 ($500 a month) is cost-sensitive.";
    const good = 'Tier 2: Good Fit';
    // Every attribute the model reads: a Tier 1 account, and a Tier 2 one.
    const rest = { currentTools: ['kubernetes'], fundingStage: 'Series B', country: 'US' };
    const complete1 = { ...tier1, ...rest };
    const complete2 = {
      ...tier2,
      ...rest,
      industry: 'FinTech',
      signals: [],
      decisionMakerTitles: ['VP Engineering'],
    };

    it('the seed defines no action bands: a complete account on either side of each bound gets "no action band"', () => {
      expect(file.scoring.bands ?? []).toEqual([]);
      expectComplete(m, complete1, complete2);
      expectEach(m, complete1, verdict, [
        [{}, noBand(best)],
        [{ employees: 301 }, noBand('none')],
        [{ monthlyCloudSpendUsd: 49_999 }, noBand('none')],
      ]);
      expectEach(m, complete2, verdict, [
        [{}, noBand(good)],
        [{ employees: 49 }, noBand('none')],
        [{ devopsTeamSize: 2 }, noBand('none')],
      ]);
    });

    it('a disqualified account has no band and "Do not pursue: <reason>", on both sides of each bound', () => {
      const pursue = [false, null, 'No action band: this ICP defines none', false];
      expectEach(m, complete2, disqualification, [
        [{ employees: 9 }, [true, null, "Do not pursue: Too small, can't pay.", false]],
        [{ employees: 10 }, pursue],
        [{ employees: 2000 }, pursue],
        [{ employees: 2001 }, [true, null, 'Do not pursue: Too slow, need custom everything.', false]],
        [{ cloudProviders: [] }, [true, null, 'Do not pursue: Not our problem to solve.', false]],
        [{ cloudProviders: ['gcp'] }, pursue],
        [{ annualBudgetUsd: 5_999 }, [true, null, 'Do not pursue: ' + costSensitive, false]],
        [{ annualBudgetUsd: 6_000 }, pursue],
        // Two hold: the action names the first in the file's order.
        [{ employees: 5, cloudProviders: [] }, [true, null, "Do not pursue: Too small, can't pay.", false]],
      ]);
      // A disqualifier that held cannot un-hold: determined, however much the account lacks.
      const s = m.score({ attributes: { cloudProviders: [] } });
      expect([s.disqualified, s.band, s.undetermined, s.decidingAttributes]).toEqual([true, null, false, []]);
    });

    it('missing data: needs what could change the tier or a disqualifier', () => {
      expectEach(m, complete2, verdict, [
        // Tier 2 but for the team size (Tier 1 fails on size, Tier 3 on spend).
        [{ devopsTeamSize: undefined }, needs('none', null, 'devopsTeamSize')],
        // Read by the cost-sensitive disqualifier only.
        [{ annualBudgetUsd: undefined }, needs(good, null, 'annualBudgetUsd')],
        // Tier 2's size, and two disqualifiers'.
        [{ employees: undefined }, needs('none', null, 'employees')],
      ]);
      expectEach(m, complete1, verdict, [
        // Tier 1 but for the incident; Tier 2's spend ($20-50K) fails at $60K.
        [{ signals: undefined }, needs('none', null, 'signals')],
        [
          { industry: undefined, decisionMakerTitles: undefined },
          needs('none', null, 'decisionMakerTitles', 'industry'),
        ],
      ]);
    });

    it('missing data that cannot change the outcome leaves the account determined (unknown && false is false)', () => {
      expectEach(m, complete2, verdict, [
        // Tier 1 fails on size (80 people), whatever its industry, incident or approvers.
        [{ industry: undefined, signals: undefined, decisionMakerTitles: undefined }, noBand(good)],
        // Points only, and no band for them to change.
        [{ currentTools: undefined, fundingStage: undefined, country: undefined }, noBand(good)],
      ]);
      // Tier 1 holds: Tier 2's team size changes nothing.
      expectEach(m, complete1, verdict, [[{ devopsTeamSize: undefined }, noBand(best)]]);
    });
  });

  it('example accounts pass', () => expectExamplesPass(m, file));
});
