import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { TEST_ADMIN } from '../helpers/db';
import { startTestServer, TestServer } from '../helpers/server';

// The console in Debian's Chromium, against the real server and database.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, 'screenshots');
const available = fs.existsSync(CHROMIUM);
if (!available) {
  const message = `\n\n*** Console tests NOT run: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium ***\n\n`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(message);
}
const inBrowser = available ? describe : describe.skip;

let t: TestServer;
let browser: Browser;
const consoleErrors: string[] = [];
let expectedErrors: RegExp[] = [];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return { context, page };
}

async function signIn(page: Page, email = TEST_ADMIN.email, password = TEST_ADMIN.password): Promise<void> {
  await page.goto(`${t.baseUrl}/admin/`);
  await page.locator('input[name="username"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByText('ICPs').first().waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

inBrowser('the console', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    // Any error in the browser's console fails the test that caused it.
    const errors = consoleErrors.splice(0).filter((e) => !expectedErrors.some((re) => re.test(e)));
    expectedErrors = [];
    expect(errors).toEqual([]);
  });

  it('signs in and lists the ICPs', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.getByText('ml-inference').waitFor();
    for (const slug of ['itsm', 'make-enterprise', 'driftsentry']) expect(await page.getByText(slug, { exact: true }).count()).toBeGreaterThan(0);
    await shot(page, 'icp-list');
    await context.close();
  });

  it('creates a persona', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.goto(`${t.baseUrl}/admin/#/personas/create`);
    await page.getByLabel(/^icp/i).click();
    await page.getByRole('option', { name: /ML inference/i }).click();
    await page.getByLabel(/^name/i).fill('Head of Platform');
    await page.getByRole('button', { name: /save/i }).click();
    // The list shows the latest changes first.
    await page.getByText('Head of Platform').first().waitFor();
    const { personas } = await t.ok(`{ personas(filter: { q: "Head of Platform" }) { name } }`);
    expect(personas).toEqual([{ name: 'Head of Platform' }]);
    await shot(page, 'persona-created');
    await context.close();
  });

  it("edits a tier's criteria: a bad expression is refused next to the field, a good one saved", async () => {
    const { tiers } = await t.ok(`{ tiers(filter: { q: "Tier 3: Growth" }) { id } }`);
    const { context, page } = await newPage();
    await signIn(page);
    await page.goto(`${t.baseUrl}/admin/#/tiers/${tiers[0].id}`);
    const criteria = page.getByLabel(/criteria/i);
    await criteria.fill('account.revenue > 10');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText(/unknown attribute "revenue"/).first().waitFor();
    await shot(page, 'tier-bad-expression');
    await criteria.fill('account.annualRevenueUsd >= 10000000.0');
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/#\/tiers$/);
    const { tier } = await t.ok(`query($id: ID!) { tier(id: $id) { criteria } }`, { id: tiers[0].id });
    expect(tier.criteria).toBe('account.annualRevenueUsd >= 10000000.0');
    await context.close();
  });

  it('two sessions editing one record: the second gets a conflict, not a lost edit', async () => {
    const { personas } = await t.ok(`{ personas(filter: { q: "Champion" }, page: { limit: 1 }) { id } }`);
    const id = personas[0].id;
    const one = await newPage();
    const two = await newPage();
    await signIn(one.page);
    await signIn(two.page);
    await one.page.goto(`${t.baseUrl}/admin/#/personas/${id}`);
    await two.page.goto(`${t.baseUrl}/admin/#/personas/${id}`);
    await one.page.getByLabel(/^quote/i).fill('First edit');
    await two.page.getByLabel(/^quote/i).fill('Second edit');
    await one.page.getByRole('button', { name: /save/i }).click();
    await one.page.waitForURL(/#\/personas$/);
    await two.page.getByRole('button', { name: /save/i }).click();
    await two.page.getByText(/Someone saved this record first/).waitFor();
    // The second user's text is still in the form, and the first edit stands.
    expect(await two.page.getByLabel(/^quote/i).inputValue()).toBe('Second edit');
    await shot(two.page, 'conflict');
    const { persona } = await t.ok(`query($id: ID!) { persona(id: $id) { quote } }`, { id });
    expect(persona.quote).toBe('First edit');
    await one.context.close();
    await two.context.close();
  });

  it('an auditor cannot change anything', async () => {
    await t.ok(`mutation { createAppUser(input: { email: "auditor@console.test", password: "an auditor password", role: AUDITOR }) { id } }`);
    const { personas } = await t.ok(`{ personas(page: { limit: 1 }) { id quote } }`);
    const { context, page } = await newPage();
    await signIn(page, 'auditor@console.test', 'an auditor password');
    await page.goto(`${t.baseUrl}/admin/#/personas/${personas[0].id}`);
    // The refusal is an HTTP 403, which the browser reports in its console: that one is expected.
    expectedErrors = [/status of 403/];
    await page.getByLabel(/^quote/i).fill('Auditor was here');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText(/may not use "updatePersona"/).waitFor();
    await shot(page, 'auditor-refused');
    const after = await t.ok(`query($id: ID!) { persona(id: $id) { quote } }`, { id: personas[0].id });
    expect(after.persona.quote).toBe(personas[0].quote);
    await context.close();
  });
});
