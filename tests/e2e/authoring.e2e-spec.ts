import { authoringFlow, FLOW_ICP } from '../helpers/authoring-flow';
import { consoleSuite } from '../helpers/browser';
import { TEST_ADMIN } from '../helpers/db';

// Issue 16's acceptance: an ICP built, published and used entirely in the console, in few screens and clicks.
consoleSuite('the console: authoring an ICP', (ui) => {
  it('creates a 3-tier ICP with personas, disqualifiers and a scoring model, publishes it and scores an account', async () => {
    const { context, page } = await ui.newPage();
    const counts = await authoringFlow(page, `${ui.t.baseUrl}/admin/`, TEST_ADMIN).catch(async (e) => {
      await ui.shot(page, 'authoring-failed');
      throw e;
    });
    await ui.shot(page, 'authoring-scored');
    // What the console saved is what was typed, in the published version.
    const { icpVersion } = await ui.t.ok(`query($s: String!) { icpVersion(icp: $s) { version snapshot } }`, {
      s: FLOW_ICP.slug,
    });
    const snap = icpVersion.snapshot;
    expect(icpVersion.version).toBe(1);
    expect(snap.tiers.map((t: any) => [t.rank, t.name])).toEqual([
      [1, 'Strategic'],
      [2, 'Enterprise'],
      [3, 'Growth'],
    ]);
    expect(snap.personas.map((p: any) => [p.name, p.buyingRoles, p.jobTitles])).toEqual([
      ['VP Infrastructure', ['ECONOMIC_BUYER'], ['VP Infrastructure', 'Head of Cloud']],
      ['FinOps lead', ['CHAMPION'], ['FinOps Lead']],
    ]);
    expect(snap.disqualifiers.map((d: any) => d.name)).toEqual(['No cloud', 'Too small']);
    expect(snap.scoringDimensions).toHaveLength(1);
    expect(snap.scoringRules.map((r: any) => [r.name, r.points, r.dimensionId])).toEqual([
      ['Big cloud bill', '6', snap.scoringDimensions[0].id],
      ['Uses IaC', '4', snap.scoringDimensions[0].id],
    ]);
    expect(snap.actionBands.map((b: any) => [b.name, b.minScore])).toEqual([
      ['Hot', 8],
      ['Warm', 4],
      ['Cold', 0],
    ]);
    // The playground gave the API's own answer.
    const { fitScore } = await ui.t.ok(
      `query($s: String!) { fitScore(icp: $s, account: { attributes: { monthlyCloudSpendUsd: 250000, employees: 800 } }) { tier { name } } }`,
      { s: FLOW_ICP.slug },
    );
    expect(counts.tier).toBe(fitScore.tier.name);
    expect(counts.tier).toBe('Enterprise');
    // The targets: at most 6 screens and 45 clicks (19 screens and ~100 clicks before).
    expect(counts.screens.length).toBeLessThanOrEqual(6);
    expect(counts.clicks).toBeLessThanOrEqual(45);
    console.log(`authoring flow: ${JSON.stringify(counts)}`);
    await context.close();
  }, 240_000);
});
