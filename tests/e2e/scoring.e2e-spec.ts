import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { consoleSuite } from '../helpers/browser';
import { STRATEGIC_BANK } from '../fixtures/accounts';
import { entityOps } from '../helpers/operations';
import { parseCsv, toCsv } from '../../admin/src/fit-score/csv';

// The scoring pages of the console (admin/src/scoring) in Chromium, against the real server and demo data.

const FULL = `accountKey score maxScore disqualified disqualifiers { name } tier { name rank } band { name action }
  dimensions { name score max } personas { name } useCases { name } missingAttributes triggers { name } explanation { kind name held }
  action undetermined decidingAttributes tierMatches { conditions { outcome } }`;

/** A deterministic spread of ml-inference accounts: every tier, band and disqualifier shows up. */
function mlAccounts(n: number) {
  let seed = 42;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed >>> 16) % k;
  };
  const pick = <T>(xs: T[]) => xs[rnd(xs.length)];
  return Array.from({ length: n }, (_, i) => ({
    key: `acct-${i + 1}`,
    name: i % 97 === 0 ? `Acme, "Special" ${i + 1}` : `Company ${i + 1}`,
    attributes: {
      annualRevenueUsd: pick([2e7, 3e8, 5e9]),
      mlMaturity: pick(['none', 'early', 'growing', 'dedicated', 'dedicated']),
      inferencesPerDay: pick([500, 5e4, 5e6]),
      annualBudgetUsd: pick([5e3, 5e4, 2.5e5, 1e6]),
      industry: pick(['Financial Services', 'Healthcare', 'Retail', 'Government', 'SaaS', 'Gaming']),
      deployment: pick(['cloud', 'cloud', 'hybrid', 'on-premise-only']),
      // Known for most, so that most accounts are decided; every seventh leaves a disqualifier unknown.
      ...(i % 7 === 0 ? {} : { lookingForConsulting: rnd(10) === 0 }),
      ...(i % 5 === 0
        ? {}
        : { useCaseFit: rnd(11), commercialFit: rnd(11), technicalFit: rnd(11), strategicValue: rnd(11) }),
      // An empty CSV cell leaves the attribute out, so the lists here are never empty.
      ...(i % 3 === 0 ? { signals: ['funding_round', 'new_ml_leader'] } : {}),
    },
  }));
}

const COLUMNS = [
  'key',
  'name',
  'annualRevenueUsd',
  'mlMaturity',
  'inferencesPerDay',
  'annualBudgetUsd',
  'industry',
  'deployment',
  'lookingForConsulting',
  'useCaseFit',
  'commercialFit',
  'technicalFit',
  'strategicValue',
  'signals',
];
const asCsv = (accounts: { key: string; name: string; attributes: Record<string, unknown> }[], columns = COLUMNS) =>
  toCsv([
    columns,
    ...accounts.map((a) => columns.map((c) => (c === 'key' ? a.key : c === 'name' ? a.name : a.attributes[c]))),
  ]);

const upload = (page: Page, name: string, text: string) =>
  page.getByTestId('csv-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

consoleSuite('the scoring pages', (ui) => {
  it('score playground: the menu lazy-loads it; an account entered with the keyboard gets the API’s own answer, explained', async () => {
    const { context, page } = await ui.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await ui.signIn(page);
    // The first page does not load the scoring pages' code.
    expect(scripts.filter((s) => /Playground|BatchScoring|Simulation/.test(s))).toEqual([]);
    await page.getByRole('menuitem', { name: /score playground/i }).click();
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    expect(scripts.some((s) => /Playground-[\w-]+\.js$/.test(s))).toBe(true);
    expect(scripts.some((s) => /BatchScoring|Simulation/.test(s))).toBe(false);

    // Published versions are offered; choose v1 explicitly.
    await page.locator('select[name="version"] option[value="1"]').waitFor({ state: 'attached' });
    await page.locator('select[name="version"]').selectOption('1');
    // Only what version 1 reads, labelled for people, and empty until an example account is chosen.
    const { scoringAttributes: used } = await ui.t.ok(`{ scoringAttributes(icp: "ml-inference", version: 1) }`);
    const form = page.getByRole('group', { name: /attributes this version reads/i });
    await form.locator(`[name="${used[0]}"]`).first().waitFor({ state: 'attached' });
    const shown = await form
      .locator('input[name], select[name]')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('name') ?? '').split('.')[0]));
    expect([...new Set(shown)].sort()).toEqual(used);
    expect(used).not.toContain('employees');
    expect(await page.locator('input[name="annualRevenueUsd"]').inputValue()).toBe('');
    await page.getByLabel('Annual revenue (USD per year)').waitFor();
    const attributes = {
      ...STRATEGIC_BANK,
      useCaseFit: 9,
      commercialFit: 9,
      technicalFit: 8,
    };
    await page.locator('input[name="accountName"]').fill('Big Bank');
    // Money as people write it.
    await page.locator('input[name="annualRevenueUsd"]').fill('$5B');
    await page.locator('select[name="mlMaturity"]').selectOption('dedicated');
    await page.locator('input[name="inferencesPerDay"]').fill('5000000');
    await page.locator('input[name="annualBudgetUsd"]').fill('1M');
    await page.locator('input[name="industry"]').fill('Financial Services');
    // Typed key by key, then Enter submits the form: no mouse needed.
    for (const [name, v] of [
      ['useCaseFit', '9'],
      ['commercialFit', '9'],
      ['technicalFit', '8'],
    ]) {
      await page.locator(`input[name="${name}"]`).focus();
      await page.keyboard.type(v);
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('score-result').waitFor();

    const { fitScore: want } = await ui.t.ok(
      `query($a: AccountInput!) { fitScore(icp: "ml-inference", version: 1, account: $a) { ${FULL} } }`,
      { a: { key: 'Big Bank', attributes } },
    );
    expect(want.tier.name).toBe('Tier 1: Strategic');
    expect(await page.getByTestId('total-score').innerText()).toMatch(
      new RegExp(`^${want.score}\\s*/\\s*${want.maxScore}`),
    );
    expect(await page.getByTestId('tier').innerText()).toBe(`Tier: ${want.tier.name}`);
    expect(await page.getByTestId('band').innerText()).toBe(`Band: ${want.band.name}`);
    // strategicValue is missing and could move the band: the action asks for it rather than the band's.
    expect(want.undetermined).toBe(true);
    expect(await page.getByTestId('action').innerText()).toBe(`Action: ${want.action}`);
    // Needs data is its own verdict, never shown as a decline.
    expect(await page.getByTestId('verdict').innerText()).toBe('Needs data');
    expect(await page.getByTestId('undetermined').innerText()).toContain(want.decidingAttributes.join(', '));
    // Every tier condition by condition, as the API reports them.
    expect(await page.getByTestId('tier-match').count()).toBe(want.tierMatches.length);
    for (const outcome of ['HELD', 'FAILED', 'UNKNOWN'])
      expect(await page.locator(`[data-testid="tier-matches"] [data-outcome="${outcome}"]`).count()).toBe(
        want.tierMatches.flatMap((m: any) => m.conditions).filter((c: any) => c.outcome === outcome).length,
      );
    // One bar per dimension, each at the API's score of its max.
    const meters = page.getByRole('meter');
    expect(await meters.count()).toBe(want.dimensions.length);
    for (const d of want.dimensions) {
      const m = page.getByRole('meter', { name: d.name, exact: true });
      expect([await m.getAttribute('aria-valuenow'), await m.getAttribute('aria-valuemax')]).toEqual([
        String(d.score),
        String(d.max),
      ]);
    }
    // Every check with whether it held.
    const rows = page.getByTestId('check-row');
    expect(await rows.count()).toBe(want.explanation.length);
    expect(await page.locator('[data-testid="check-row"][data-held="true"]').count()).toBe(
      want.explanation.filter((c: { held: boolean }) => c.held).length,
    );
    // strategicValue was left empty: the API says it is missing, and so does the page.
    expect(want.missingAttributes).toContain('strategicValue');
    expect(await page.getByTestId('missing-attributes').innerText()).toContain('strategicValue');
    expect(want.disqualified).toBe(false);
    await page.getByTestId('not-disqualified').waitFor();
    // deployment was left out: the disqualifier that reads it is unknown, not passed.
    expect(await page.getByTestId('not-disqualified').innerText()).toContain(
      'could not be checked for missing data: Require on-premise only (deployment)',
    );
    for (const p of want.personas) await page.getByText(p.name, { exact: false }).first().waitFor();
    for (const u of want.useCases) await page.getByText(u.name, { exact: true }).first().waitFor();
    await ui.shot(page, 'scoring-playground');

    // A wrong value is refused next to its field, before any request.
    await page.locator('input[name="annualBudgetUsd"]').fill('lots');
    await page.getByRole('button', { name: 'Score' }).click();
    await page.getByText('"lots" is not a number').waitFor();
    // The summary names the field as its label does, not by its code name.
    const summary = await page.getByText(/Fix the highlighted attributes/).innerText();
    expect(summary).toMatch(/Annual budget/);
    expect(summary).not.toContain('annualBudgetUsd');

    // A disqualified account shows its disqualifiers.
    await page.locator('input[name="annualBudgetUsd"]').fill('1000000');
    await page.locator('select[name="deployment"]').selectOption('on-premise-only');
    await page.getByRole('button', { name: 'Score' }).click();
    await page.getByTestId('disqualified').getByText('Require on-premise only').waitFor();
    // Another version: the result scored against the previous one goes; the typed account stays.
    await page.locator('select[name="version"]').selectOption('1');
    await page.getByTestId('score-result').waitFor({ state: 'detached' });
    expect(await page.locator('input[name="annualBudgetUsd"]').inputValue()).toBe('1000000');
    await context.close();
  });

  it('batch scoring: uploads 1,200 accounts, scores them in chunks with a progress bar, ranks them, downloads the ranked CSV', async () => {
    const accounts = mlAccounts(1200);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/batch'));
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    // Slow the scoring calls down a little, so the progress bar is seen moving.
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('fitScores')) await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await upload(page, 'accounts.csv', asCsv(accounts));
    await page.getByText(/Scored 500 of 1,200 accounts/).waitFor();
    expect(
      Number(await page.getByRole('progressbar', { name: /scored progress/i }).getAttribute('aria-valuenow')),
    ).toBeGreaterThan(0);
    await page.getByText('1,200 accounts, ranked').waitFor();
    expect(await page.getByTestId('ranked-row').count()).toBe(50);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /download ranked csv/i }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ml-inference-ranked.csv');
    const text = fs.readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = parseCsv(text).rows.map((r) => r.cells);
    const col = (name: string) => header.indexOf(name);
    expect(header).toEqual(expect.arrayContaining(['rank', 'key', 'name', 'score', 'tier', 'band', 'disqualified']));
    expect(rows).toHaveLength(1200);
    // After the scores, the accounts' attributes as uploaded, so the file can be uploaded again.
    expect(header.slice(-(COLUMNS.length - 2))).toEqual(COLUMNS.slice(2));

    // The API's own answer for the same accounts.
    const { fitScores } = await ui.t.ok(
      `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { accountKey score tier { name } band { name } disqualified } }`,
      {
        as: accounts.map((a) => ({ key: a.key, name: a.name, attributes: a.attributes })),
      },
    );
    const byKey = new Map(fitScores.map((s: { accountKey: string }) => [s.accountKey, s]));
    const names = new Map(accounts.map((a) => [a.key, a.name]));
    for (const r of rows) {
      const s = byKey.get(r[col('key')]) as {
        score: number;
        tier: { name: string } | null;
        band: { name: string } | null;
        disqualified: boolean;
      };
      expect([
        r[col('key')],
        Number(r[col('score')]),
        r[col('tier')],
        r[col('band')],
        r[col('disqualified')],
        r[col('name')],
      ]).toEqual([
        r[col('key')],
        s.score,
        s.tier?.name ?? '',
        s.band?.name ?? '',
        String(s.disqualified),
        names.get(r[col('key')]),
      ]);
    }
    expect(new Set(rows.map((r) => r[col('key')])).size).toBe(1200);
    // Ranked: qualified accounts by score, highest first, then those that need data, then the disqualified ones.
    const GROUPS = ['qualified', 'needs data', 'disqualified'];
    const ranked = rows.map((r) => ({
      rank: Number(r[col('rank')]),
      score: Number(r[col('score')]),
      group: GROUPS.indexOf(r[col('group')]),
      dq: r[col('disqualified')] === 'true',
    }));
    expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
    expect(ranked.every((r) => (r.group === 2) === r.dq)).toBe(true);
    for (let g = 0; g < 3; g++) {
      const part = ranked.filter((r) => r.group === g);
      expect(part.length).toBeGreaterThan(0);
      for (let i = 1; i < part.length; i++) expect(part[i - 1].score).toBeGreaterThanOrEqual(part[i].score);
    }
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].group).toBeLessThanOrEqual(ranked[i].group);
    // The table on screen is the same list.
    const firstRow = await page.getByTestId('ranked-row').first().innerText();
    expect(firstRow).toContain(rows[0][col('name')]);
    await ui.shot(page, 'scoring-batch');
    await context.close();
  });

  it('batch scoring: a file larger than one GraphQL call is scored through the stream, in parts, a bad row inline', async () => {
    const accounts = mlAccounts(12_500);
    const lines = asCsv(accounts).trimEnd().split('\r\n');
    // Line 9,002 of the file: a value of the wrong type, reported with its line, the other rows scored.
    lines.splice(9001, 0, 'bad-1,Bad Co,lots');
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/batch'));
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    const posts: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/score/') && posts.push(r.url()));
    await upload(page, 'many.csv', lines.join('\r\n') + '\r\n');
    await page.getByRole('button', { name: /score the 12,500 readable accounts/i }).click();
    await page.getByText('12,500 of 12,501 accounts scored by version 1').waitFor({ timeout: 120_000 });
    // About 2.5 MB in parts of 1 MiB: several requests, none of them a GraphQL call.
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((u) => u.endsWith('/v1/score/ml-inference'))).toBe(true);
    await page.getByText('line 9002, column annualRevenueUsd: "lots" is not a number').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /download scores csv/i }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ml-inference-scores.csv');
    const [header, ...rows] = parseCsv(fs.readFileSync(await download.path(), 'utf8')).rows.map((r) => r.cells);
    const col = (name: string) => header.indexOf(name);
    // In the file's order, each with its line in the file, across the parts.
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 12_501 }, (_, i) => String(i + 2)));
    expect(rows[9000][col('error')]).toBe('line 9002, column annualRevenueUsd: "lots" is not a number');
    const scored = rows.filter((r) => !r[col('error')]);
    // The API's own answer for the same accounts (two calls of at most 10,000).
    const ask = (as: typeof accounts) =>
      ui.t.ok(
        `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { accountKey score tier { name } disqualified } }`,
        { as: as.map((a) => ({ key: a.key, name: a.name, attributes: a.attributes })) },
      );
    const api = [...(await ask(accounts.slice(0, 10_000))).fitScores, ...(await ask(accounts.slice(10_000))).fitScores];
    expect(scored.map((r) => [r[col('key')], Number(r[col('score')]), r[col('tier')], r[col('disqualified')]])).toEqual(
      api.map((s: any) => [s.accountKey, s.score, s.tier?.name ?? '', String(s.disqualified)]),
    );
    const chips = await page.getByTestId('stream-counts').innerText();
    const dq = api.filter((s: any) => s.disqualified).length;
    expect(chips).toContain(`Disqualified: ${dq}`);
    await context.close();
  });

  it('batch scoring: problems in the file name their line and column; the server’s refusals name the CSV line', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/batch'));
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    await upload(
      page,
      'bad.csv',
      'name,annualBudgetUsd,mlMaturity,revenue\nGood,50000,early,1\nBad,"lots",early,2\nAlso good,20000,growing,3\n',
    );
    await page
      .getByTestId('csv-problems')
      .getByText('Line 3, column "annualBudgetUsd": "lots" is not a number')
      .waitFor();
    await page.getByTestId('ignored-columns').getByText('"revenue"').waitFor();
    // The readable rows can still be scored.
    await page.getByRole('button', { name: /score the 2 readable accounts/i }).click();
    await page.getByText('2 accounts, ranked').waitFor();

    // A value outside the catalogue's allowed values is refused by the server: nothing is scored, and the line is named.
    await upload(page, 'refused.csv', 'name,mlMaturity\nFine,early\nOdd,huge\n');
    await page
      .getByTestId('csv-problems')
      .getByText(/Line 3: mlMaturity: .*huge.*\(account "Odd"\)/)
      .waitFor();
    expect(await page.getByTestId('ranked-table').count()).toBe(0);
    await ui.shot(page, 'scoring-batch-problems');
    await context.close();
  });

  it('works in a narrow window (420 px): playground and batch scoring stay usable, without sideways scrolling', async () => {
    const { context, page } = await ui.newPage({ width: 420, height: 860 });
    await ui.signIn(page);
    await page.goto(ui.url('/playground'));
    await page.locator('select[name="icp"]').selectOption('driftsentry');
    await page.locator('select[name="example"]').selectOption({ label: "Sarah's company: 200-person Series B SaaS" });
    await page.getByRole('button', { name: 'Score' }).click();
    await page.getByTestId('score-result').waitFor();
    expect(await page.getByTestId('tier').innerText()).toMatch(/^Tier: Tier [12]/);
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await ui.shot(page, 'scoring-playground-narrow');
    // List attributes with allowed values are checkboxes, "none" being an empty list: not in the cloud disqualifies.
    expect(await page.locator('input[name="cloudProviders.aws"]').isChecked()).toBe(true);
    await page.locator('input[name="cloudProviders.none"]').focus();
    await page.keyboard.press('Space');
    expect(await page.locator('input[name="cloudProviders.aws"]').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Score' }).click();
    await page.getByTestId('disqualified').getByText('Non-cloud companies').waitFor();

    await page.goto(ui.url('/batch'));
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    await upload(page, 'few.csv', asCsv(mlAccounts(12)));
    await page.getByText('12 accounts, ranked').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await page.getByRole('button', { name: 'Score again' }).isEnabled()).toBe(true);
    await ui.shot(page, 'scoring-batch-narrow');
    await context.close();
  });

  it('simulation: after a draft edit, the accounts that move tier or band are shown, as the API says', async () => {
    // The draft of driftsentry now needs five DevOps people for Tier 2, and weights AWS less.
    const { icpBySlug } = await ui.t.ok(
      `{ icpBySlug(idOrSlug: "driftsentry") { tiers { id name revision } scoringRules { id name revision } } }`,
    );
    const tier2 = icpBySlug.tiers.find((x: { name: string }) => x.name === 'Tier 2: Good Fit');
    await ui.t.ok(entityOps('Tier').update, {
      id: tier2.id,
      rev: tier2.revision,
      input: { criteria: 'account.devopsTeamSize >= 5' },
    });
    const aws = icpBySlug.scoringRules.find((x: { name: string }) => x.name === 'AWS');
    await ui.t.ok(entityOps('ScoringRule').update, { id: aws.id, rev: aws.revision, input: { points: '1.0' } });

    const base = {
      employees: 80,
      industry: 'SaaS',
      cloudProviders: ['aws'],
      monthlyCloudSpendUsd: 30000,
      iacTools: ['terraform'],
      annualBudgetUsd: 20000,
    };
    const accounts = Array.from({ length: 30 }, (_, i) => ({
      key: `d${i + 1}`,
      name: `Drift ${i + 1}`,
      attributes: { ...base, devopsTeamSize: i % 8, ...(i % 4 === 0 ? { cloudProviders: ['gcp'] } : {}) },
    }));
    const { simulateIcp: want } = await ui.t.ok(
      `query($as: [AccountInput!]!) { simulateIcp(icp: "driftsentry", accounts: $as) { publishedVersion summary { changed total out } accounts { accountKey changed movement before { tier { partId name } band { name } } after { tier { partId name } band { name } } } } }`,
      { as: accounts },
    );
    expect(want.summary.out).toBeGreaterThan(0);

    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.getByRole('menuitem', { name: /simulate draft/i }).click();
    await page.locator('select[name="icp"]').selectOption('driftsentry');
    await page.getByText('The draft against published version 1.').waitFor();
    await upload(
      page,
      'drift.csv',
      asCsv(accounts, [
        'key',
        'name',
        'employees',
        'industry',
        'cloudProviders',
        'monthlyCloudSpendUsd',
        'iacTools',
        'annualBudgetUsd',
        'devopsTeamSize',
      ]),
    );
    await page.getByTestId('movers-table').waitFor();

    type Side = { tier: { partId: string; name: string } | null; band: { name: string } | null };
    const changed = want.accounts.filter((a: { changed: boolean }) => a.changed);
    const tierMoves = want.accounts.filter(
      (a: { before: Side; after: Side }) => a.before.tier?.partId !== a.after.tier?.partId,
    ).length;
    const bandMoves = want.accounts.filter(
      (a: { before: Side; after: Side }) => a.before.band?.name !== a.after.band?.name,
    ).length;
    expect(await page.getByTestId('summary-changed').innerText()).toBe(`${want.summary.changed} change`);
    expect(await page.getByTestId('summary-tier').innerText()).toBe(`${tierMoves} move tier`);
    expect(await page.getByTestId('summary-band').innerText()).toBe(`${bandMoves} move band`);
    const rows = page.getByTestId('mover-row');
    expect(await rows.count()).toBe(changed.length);
    // Each mover, in file order, with its tier before → after.
    for (let i = 0; i < changed.length; i++) {
      const a = changed[i];
      const text = await rows.nth(i).innerText();
      const name = accounts.find((x) => x.key === a.accountKey)!.name;
      expect(text).toContain(name);
      if (a.before.tier?.partId !== a.after.tier?.partId)
        expect(text).toContain(`${a.before.tier?.name ?? 'no tier'} → ${a.after.tier?.name ?? 'no tier'}`);
    }
    const out = changed.find((a: { movement: string }) => a.movement === 'OUT');
    expect(await rows.nth(changed.indexOf(out)).innerText()).toContain('Tier 2: Good Fit → no tier');
    await ui.shot(page, 'scoring-simulation');

    // A band's threshold lowered in ml-inference's draft: accounts move band.
    const { actionBands } = await ui.t.ok(`{ actionBands(filter: { q: "Immediate priority" }) { id revision } }`);
    await ui.t.ok(entityOps('ActionBand').update, {
      id: actionBands[0].id,
      rev: actionBands[0].revision,
      input: { minScore: 30 },
    });
    const ml = mlAccounts(60);
    const { simulateIcp: mlWant } = await ui.t.ok(
      `query($as: [AccountInput!]!) { simulateIcp(icp: "ml-inference", accounts: $as) { summary { changed up } accounts { changed before { band { name } } after { band { name } } } } }`,
      { as: ml },
    );
    const mlBandMoves = mlWant.accounts.filter(
      (a: { before: Side; after: Side }) => a.before.band?.name !== a.after.band?.name,
    ).length;
    expect(mlBandMoves).toBeGreaterThan(0);
    await page.locator('select[name="icp"]').selectOption('ml-inference');
    await upload(page, 'ml.csv', asCsv(ml));
    await page.getByTestId('summary-band').getByText(`${mlBandMoves} move band`).waitFor();
    expect(await page.getByTestId('mover-row').count()).toBe(mlWant.summary.changed);
    expect(await page.getByTestId('mover-row').first().innerText()).toContain('Active pursuit → Immediate priority');
    await ui.shot(page, 'scoring-simulation-bands');
    await context.close();
  });
});
