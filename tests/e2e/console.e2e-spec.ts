import { consoleSuite } from '../helpers/browser';

// The console in Debian's Chromium, against the real server and database.
consoleSuite('the console', (ui) => {
  it('signs in and lists the ICPs', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.getByText('ml-inference').waitFor();
    for (const slug of ['itsm', 'make-enterprise', 'driftsentry']) expect(await page.getByText(slug, { exact: true }).count()).toBeGreaterThan(0);
    await ui.shot(page, 'icp-list');
    await context.close();
  });

  it('creates a persona', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(`${ui.t.baseUrl}/admin/#/personas/create`);
    await page.getByLabel(/^icp/i).click();
    await page.getByRole('option', { name: /ML inference/i }).click();
    await page.getByLabel(/^name/i).fill('Head of Platform');
    await page.getByRole('button', { name: /save/i }).click();
    // The list shows the latest changes first.
    await page.getByText('Head of Platform').first().waitFor();
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Head of Platform" }) { name } }`);
    expect(personas).toEqual([{ name: 'Head of Platform' }]);
    await ui.shot(page, 'persona-created');
    await context.close();
  });

  it("edits a tier's criteria: a bad expression is refused next to the field, a good one saved", async () => {
    const { tiers } = await ui.t.ok(`{ tiers(filter: { q: "Tier 3: Growth" }) { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(`${ui.t.baseUrl}/admin/#/tiers/${tiers[0].id}`);
    const criteria = page.getByLabel(/criteria/i);
    await criteria.fill('account.revenue > 10');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText(/unknown attribute "revenue"/).first().waitFor();
    await ui.shot(page, 'tier-bad-expression');
    await criteria.fill('account.annualRevenueUsd >= 10000000.0');
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/#\/tiers$/);
    const { tier } = await ui.t.ok(`query($id: ID!) { tier(id: $id) { criteria } }`, { id: tiers[0].id });
    expect(tier.criteria).toBe('account.annualRevenueUsd >= 10000000.0');
    await context.close();
  });

  it('two sessions editing one record: the second gets a conflict, not a lost edit', async () => {
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Champion" }, page: { limit: 1 }) { id } }`);
    const id = personas[0].id;
    const one = await ui.newPage();
    const two = await ui.newPage();
    await ui.signIn(one.page);
    await ui.signIn(two.page);
    await one.page.goto(`${ui.t.baseUrl}/admin/#/personas/${id}`);
    await two.page.goto(`${ui.t.baseUrl}/admin/#/personas/${id}`);
    await one.page.getByLabel(/^quote/i).fill('First edit');
    await two.page.getByLabel(/^quote/i).fill('Second edit');
    await one.page.getByRole('button', { name: /save/i }).click();
    await one.page.waitForURL(/#\/personas$/);
    await two.page.getByRole('button', { name: /save/i }).click();
    await two.page.getByText(/Someone saved this record first/).waitFor();
    // The second user's text is still in the form, and the first edit stands.
    expect(await two.page.getByLabel(/^quote/i).inputValue()).toBe('Second edit');
    await ui.shot(two.page, 'conflict');
    const { persona } = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote } }`, { id });
    expect(persona.quote).toBe('First edit');
    await one.context.close();
    await two.context.close();
  });

  it('an auditor cannot change anything', async () => {
    await ui.t.ok(`mutation { createAppUser(input: { email: "auditor@console.test", password: "an auditor password", role: AUDITOR }) { id } }`);
    const { personas } = await ui.t.ok(`{ personas(page: { limit: 1 }) { id quote } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page, 'auditor@console.test', 'an auditor password');
    await page.goto(`${ui.t.baseUrl}/admin/#/personas/${personas[0].id}`);
    // The refusal is an HTTP 403, which the browser reports in its console: that one is expected.
    ui.expectErrors(/status of 403/);
    await page.getByLabel(/^quote/i).fill('Auditor was here');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText(/may not use "updatePersona"/).waitFor();
    await ui.shot(page, 'auditor-refused');
    const after = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote } }`, { id: personas[0].id });
    expect(after.persona.quote).toBe(personas[0].quote);
    await context.close();
  });
});
