import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const PROVENANCE = 'provenance { derived document section reasoning }';
const WHOLE = `query($slug: String!) {
  icpBySlug(idOrSlug: $slug) {
    slug status latestVersion validationQuestions { category question } researchChecklist { section item }
    notes competitors ${PROVENANCE}
    tiers { name rank kind focusShare criteria action personas { name } ${PROVENANCE} }
    personas { name buyingRoles appliesWhen tier { name } quote budgetAuthority ${PROVENANCE} }
    useCasePatterns { name kind industry industries ${PROVENANCE} }
    disqualifiers { name category expression ${PROVENANCE} }
    triggerEvents { name category expression ${PROVENANCE} }
    scoringDimensions { name max ${PROVENANCE} rules { name condition points ${PROVENANCE} } }
    bands { name minScore action ${PROVENANCE} }
    exampleAccounts { name description ${PROVENANCE} }
  }
}`;

// What each seed states, counted from its text (api/src/demo/README.md says where each comes from).
const SEEDS = {
  // 000: primary mid-market + secondary MSP; four key personas; three buying triggers plus the
  // CIO's "renewal cost shocks"; no disqualifiers, no bands.
  itsm: { tiers: 2, personas: 4, patterns: 0, disqualifiers: 0, triggers: 4, bands: 0, questions: 0 },
  // 002: two verticals (80% / 20%); decision maker + champion for scale-ups, three front-office
  // persona lines; no questions (its "Key Milestones" are the document's agenda, kept as a note).
  'make-enterprise': { tiers: 2, personas: 5, patterns: 0, disqualifiers: 0, triggers: 0, bands: 0, questions: 0 },
  // 003: tiers 1-3; four stakeholders; 5 industry + 4 technical patterns; 5 poor-fit + 4 technical
  // misalignment disqualifiers; 5 company + 5 technical + 4 market triggers; four bands.
  'ml-inference': { tiers: 3, personas: 4, patterns: 9, disqualifiers: 9, triggers: 14, bands: 4, questions: 0 },
  // 004: tiers 1-3; primary buyer, 4 influencer/blocker groups, 3 sample personas; 4 anti-ICP lines;
  // the drift incident its buying process starts from; 5 validation questions.
  driftsentry: { tiers: 3, personas: 8, patterns: 0, disqualifiers: 4, triggers: 1, bands: 0, questions: 5 },
};

describe('the demo data holds the seeds faithfully', () => {
  it('lists the four demo ICPs with their tiers and segments in the seeds’ order', async () => {
    const { icps } = await t.ok('{ icps { slug tiers { name rank } } }');
    expect(icps.map((i: { slug: string }) => i.slug)).toEqual([
      'driftsentry',
      'itsm',
      'make-enterprise',
      'ml-inference',
    ]);
    const bySlug = Object.fromEntries(icps.map((i: { slug: string; tiers: unknown[] }) => [i.slug, i.tiers]));
    expect(bySlug.itsm).toEqual([
      { rank: 1, name: 'Primary ICP: Mid-Market' },
      { rank: 2, name: 'Secondary ICP: Managed Service Providers (MSPs)' },
    ]);
    expect(bySlug['ml-inference'].map((x: { name: string }) => x.name)).toEqual([
      'Tier 1: Strategic',
      'Tier 2: Enterprise',
      'Tier 3: Growth',
    ]);
  });

  it.each(Object.entries(SEEDS))(
    '%s: counts match the seed, and it is published as version 1',
    async (slug, expected) => {
      const icp = (await t.ok(WHOLE, { slug })).icpBySlug;
      expect({
        tiers: icp.tiers.length,
        personas: icp.personas.length,
        patterns: icp.useCasePatterns.length,
        disqualifiers: icp.disqualifiers.length,
        triggers: icp.triggerEvents.length,
        bands: icp.bands.length,
        questions: icp.validationQuestions.length,
      }).toEqual(expected);
      expect(icp.latestVersion).toBe(1);
    },
  );

  it('keeps the details the seeds state', async () => {
    const make = (await t.ok(WHOLE, { slug: 'make-enterprise' })).icpBySlug;
    expect(
      make.tiers.map((x: { rank: number; focusShare: number; kind: string }) => [x.rank, x.focusShare, x.kind]),
    ).toEqual([
      [1, 0.8, 'SEGMENT'],
      [2, 0.2, 'SEGMENT'],
    ]);
    const ml = (await t.ok(WHOLE, { slug: 'ml-inference' })).icpBySlug;
    expect(ml.bands.map((b: { minScore: number }) => b.minScore)).toEqual([35, 25, 15, 0]);
    expect(ml.scoringDimensions.map((d: { name: string; max: number }) => [d.name, d.max])).toEqual([
      ['Use Case Fit', 10],
      ['Commercial Fit', 10],
      ['Technical Fit', 10],
      ['Strategic Value', 10],
    ]);
    expect(ml.researchChecklist).toHaveLength(14);
    expect(ml.useCasePatterns.filter((p: { kind: string }) => p.kind === 'TECHNICAL')).toHaveLength(4);
    const drift = (await t.ok(WHOLE, { slug: 'driftsentry' })).icpBySlug;
    expect(drift.status).toBe('DRAFT');
    expect(drift.tiers.map((x: { action: string }) => x.action)).toEqual([
      'Target first',
      'Target second',
      'Only if inbound',
    ]);
    const sarah = drift.personas.find((p: { name: string }) => p.name.startsWith('Sarah'));
    expect(sarah.quote).toContain('We had a security group opened manually during an incident');
    expect(sarah.budgetAuthority).toContain('$5K/month');
  });

  it('writes every expression with catalogue attributes only', async () => {
    const { workspaces } = await t.ok('{ workspaces { attributes { name } } }');
    const catalogue = new Set(workspaces[0].attributes.map((a: { name: string }) => a.name));
    expect(catalogue.size).toBeGreaterThanOrEqual(26);
    for (const slug of Object.keys(SEEDS)) {
      const icp = (await t.ok(WHOLE, { slug })).icpBySlug;
      const expressions: string[] = [
        ...icp.tiers.map((x: { criteria: string }) => x.criteria),
        ...icp.disqualifiers.map((x: { expression: string }) => x.expression),
        ...icp.triggerEvents.map((x: { expression: string }) => x.expression),
        ...icp.personas.map((x: { appliesWhen: string }) => x.appliesWhen),
        ...icp.scoringDimensions.flatMap((d: { rules: { condition: string; points: string }[] }) =>
          d.rules.flatMap((r) => [r.condition, r.points]),
        ),
      ].filter(Boolean);
      expect(expressions.length).toBeGreaterThan(0);
      for (const e of expressions)
        for (const [, name] of e.matchAll(/account\.(\w+)/g))
          expect([slug, name, catalogue.has(name)]).toEqual([slug, name, true]);
    }
  });

  it('records the provenance of every part: a seed section, or derived with the reasoning', async () => {
    type Part = { name?: string; provenance: Record<string, unknown> | null };
    for (const slug of Object.keys(SEEDS)) {
      const icp = (await t.ok(WHOLE, { slug })).icpBySlug;
      const parts: [string, Part][] = [
        ['icp', icp],
        ...(
          [
            'tiers',
            'personas',
            'useCasePatterns',
            'disqualifiers',
            'triggerEvents',
            'bands',
            'exampleAccounts',
          ] as const
        ).flatMap((k) => icp[k].map((p: Part) => [`${k} ${p.name}`, p] as [string, Part])),
        ...icp.scoringDimensions.flatMap((d: Part & { rules: Part[] }) => [
          [`dimension ${d.name}`, d] as [string, Part],
          ...d.rules.map((r) => [`rule ${d.name}/${r.name}`, r] as [string, Part]),
        ]),
      ];
      for (const [what, { provenance: p }] of parts) {
        const ok = p && (p.derived ? !!p.reasoning : !!p.document && !!p.section);
        expect([slug, what, ok]).toEqual([slug, what, true]);
      }
      // Invented accounts say so: none claims the seed describes it.
      for (const e of icp.exampleAccounts) {
        expect([slug, e.name, e.provenance.derived]).toEqual([slug, e.name, true]);
        expect(e.description).toMatch(/^Invented/);
      }
    }
  });

  it('keeps the readings issue 14 fixed', async () => {
    const itsm = (await t.ok(WHOLE, { slug: 'itsm' })).icpBySlug;
    // The key personas belong to the whole ICP (the notes say so), so MSP accounts get them too.
    expect(itsm.personas.map((p: { tier: unknown }) => p.tier)).toEqual([null, null, null, null]);
    expect(itsm.tiers[0].criteria).toBe('account.employees >= 200 && account.employees <= 5000');
    expect(itsm.competitors[0]).toMatch(/^ServiceNow/);
    const make = (await t.ok(WHOLE, { slug: 'make-enterprise' })).icpBySlug;
    expect(make.notes[0]).toMatch(/^Key Milestones, the questions this document sets out to answer/);
    expect(make.tiers[1].criteria).not.toContain('departments');
    const ml = (await t.ok(WHOLE, { slug: 'ml-inference' })).icpBySlug;
    const cfo = ml.personas.find((p: { name: string }) => p.name === 'CFO');
    expect(cfo.appliesWhen).toBe('account.annualBudgetUsd >= 500000.0');
    const industries = Object.fromEntries(
      ml.useCasePatterns.map((p: { name: string; industries: string[] }) => [p.name, p.industries]),
    );
    expect(industries['Healthcare/Life Sciences']).toEqual(expect.arrayContaining(['Healthcare', 'Life Sciences']));
    expect(industries['Media/Entertainment']).toEqual(['Media', 'Entertainment']);
    expect(ml.competitors).toContain('SageMaker');
    const drift = (await t.ok(WHOLE, { slug: 'driftsentry' })).icpBySlug;
    const security = drift.personas.find((p: { name: string }) => p.name === 'Security/Compliance team');
    expect(security.buyingRoles).toEqual(['INFLUENCER', 'BLOCKER']);
    expect(drift.tiers[2].criteria).not.toContain('||');
  });
});
