import type { Locator, Page } from 'playwright-core';

/**
 * Issue 16's authoring scenario, done as a person does it in the console:
 * sign in, create an ICP with 3 tiers, 2 personas, a dimension with 2 rules
 * and 3 bands, add 2 disqualifiers, publish, and score an account in the
 * playground. Every click and every field filled goes through the counter,
 * and every route the page shows is recorded. Shared by the Chromium test
 * (tests/e2e/authoring.e2e-spec.ts, which asserts the targets) and the
 * benchmark (bench/console.bench.ts, which records the figures).
 */
export interface FlowCounts {
  /** Distinct routes shown (the hash path, ids included: one ICP's page is one screen). */
  screens: string[];
  clicks: number;
  fields: number;
  /** What the playground said of the account. */
  tier: string;
  ms: number;
}

export const FLOW_ICP = { name: 'Cloud cost platform', slug: 'cloud-cost' };

class Counter {
  clicks = 0;
  fields = 0;
  readonly routes = new Set<string>();
  constructor(readonly page: Page) {
    page.on('framenavigated', (f) => f === page.mainFrame() && this.seen(f.url()));
  }
  seen(url: string) {
    const hash = new URL(url).hash.replace(/^#/, '').split('?')[0];
    if (hash) this.routes.add(hash);
  }
  async click(l: Locator) {
    await l.click();
    this.clicks++;
    this.seen(this.page.url());
  }
  async fill(l: Locator, value: string) {
    await l.fill(value);
    this.fields++;
  }
  /** A list input: each entry typed and confirmed with Enter (one field however many entries). */
  async entries(l: Locator, values: string[]) {
    for (const v of values) {
      await l.fill(v);
      await l.press('Enter');
    }
    this.fields++;
  }
  async select(l: Locator, value: string) {
    await l.selectOption(value);
    this.clicks++;
    this.fields++;
  }
}

const TIERS = [
  { name: 'Strategic', criteria: 'account.monthlyCloudSpendUsd >= 1000000.0' },
  { name: 'Enterprise', criteria: 'account.monthlyCloudSpendUsd >= 100000.0' },
  { name: 'Growth', criteria: "account.monthlyCloudSpendUsd >= 10000.0 && 'aws' in account.cloudProviders" },
];
const PERSONAS = [
  { name: 'VP Infrastructure', role: 'economic buyer', titles: ['VP Infrastructure', 'Head of Cloud'] },
  { name: 'FinOps lead', role: 'champion', titles: ['FinOps Lead'] },
];
const RULES = [
  { name: 'Big cloud bill', condition: 'account.monthlyCloudSpendUsd >= 100000.0', points: '6' },
  { name: 'Uses IaC', condition: "account.iacTools.exists(t, t in ['terraform', 'pulumi'])", points: '4' },
];
const BANDS = [
  { name: 'Hot', minScore: '8', action: 'Call this week' },
  { name: 'Warm', minScore: '4', action: 'Nurture with a case study' },
  { name: 'Cold', minScore: '0', action: 'Newsletter only' },
];
const DISQUALIFIERS = [
  { name: 'No cloud', expression: 'size(account.cloudProviders) == 0', reason: 'Nothing to optimise' },
  { name: 'Too small', expression: 'account.employees < 10', reason: 'No budget for a platform' },
];

/** Runs the scenario from the sign-in page to a scored account; `base` is the console's URL (…/admin/). */
export async function authoringFlow(page: Page, base: string, who: { email: string; password: string }) {
  const c = new Counter(page);
  const t0 = Date.now();
  const field = (name: string) => page.locator(`[name="${name}"]`);

  await page.goto(base);
  await c.fill(page.locator('input[name="username"]'), who.email);
  await c.fill(page.locator('input[name="password"]'), who.password);
  await c.click(page.getByRole('button', { name: /sign in/i }));

  // The ICP list: Create opens the wizard.
  await c.click(page.getByRole('link', { name: 'Create', exact: true }));
  await c.fill(field('name'), FLOW_ICP.name);
  await c.fill(field('slug'), FLOW_ICP.slug);
  await c.click(page.getByRole('button', { name: 'Create and continue' }));

  for (const [i, tier] of TIERS.entries()) {
    await c.click(page.getByRole('button', { name: 'Add tier' }));
    await c.fill(field(`tiers.${i}.name`), tier.name);
    await c.fill(field(`tiers.${i}.criteria`), tier.criteria);
  }
  await c.click(page.getByRole('button', { name: 'Save and continue' }));

  for (const [i, p] of PERSONAS.entries()) {
    await c.click(page.getByRole('button', { name: 'Add persona' }));
    await c.fill(field(`personas.${i}.name`), p.name);
    const row = page.locator('.RaSimpleFormIterator-line').nth(i);
    await c.click(row.getByRole('combobox', { name: 'Buying Roles' }));
    await c.click(page.getByRole('option', { name: p.role, exact: true }));
    await page.keyboard.press('Escape');
    await c.entries(row.getByLabel('Job Titles'), p.titles);
  }
  await c.click(page.getByRole('button', { name: 'Save and continue' }));

  await c.click(page.getByRole('button', { name: 'Add dimension' }));
  await c.fill(field('dimensions.0.name'), 'Cloud fit');
  await c.fill(field('dimensions.0.max'), '10');
  for (const [j, r] of RULES.entries()) {
    await c.click(page.getByRole('button', { name: 'Add rule' }));
    await c.fill(field(`dimensions.0.rules.${j}.name`), r.name);
    await c.fill(field(`dimensions.0.rules.${j}.condition`), r.condition);
    await c.fill(field(`dimensions.0.rules.${j}.points`), r.points);
  }
  for (const [k, b] of BANDS.entries()) {
    await c.click(page.getByRole('button', { name: 'Add band' }));
    await c.fill(field(`bands.${k}.name`), b.name);
    await c.fill(field(`bands.${k}.minScore`), b.minScore);
    await c.fill(field(`bands.${k}.action`), b.action);
  }
  await c.click(page.getByRole('button', { name: 'Save and continue' }));

  // The ICP's page: disqualifiers in a dialog over it.
  await page.getByTestId('icp-overview').waitFor();
  for (const d of DISQUALIFIERS) {
    await c.click(page.getByRole('button', { name: 'Add disqualifier' }));
    const dialog = page.getByRole('dialog');
    await c.fill(dialog.locator('[name="name"]'), d.name);
    await c.fill(dialog.locator('[name="expression"]'), d.expression);
    await c.fill(dialog.locator('[name="reason"]'), d.reason);
    await c.click(dialog.getByRole('button', { name: 'Save' }));
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('disqualifier-card').filter({ hasText: d.name }).waitFor();
  }

  await c.click(page.getByRole('button', { name: 'Publish', exact: true }));
  await c.fill(page.getByLabel('Changelog'), 'First version');
  await c.click(page.getByRole('button', { name: 'Publish version 1' }));
  await page.getByText('Published version 1').waitFor();

  await c.click(page.getByRole('menuitem', { name: /score playground/i }));
  await page.locator(`select[name="icp"] option[value="${FLOW_ICP.slug}"]`).waitFor({ state: 'attached' });
  await c.select(page.locator('select[name="icp"]'), FLOW_ICP.slug);
  await c.fill(page.locator('input[name="monthlyCloudSpendUsd"]'), '250000');
  await c.fill(page.locator('input[name="employees"]'), '800');
  await c.click(page.getByRole('button', { name: 'Score', exact: true }));
  const tier = (await page.getByTestId('tier').innerText()).replace(/^Tier:\s*/, '');
  c.seen(page.url());
  return { screens: [...c.routes], clicks: c.clicks, fields: c.fields, tier, ms: Date.now() - t0 } satisfies FlowCounts;
}
