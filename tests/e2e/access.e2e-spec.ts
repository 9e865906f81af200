import { consoleSuite } from '../helpers/browser';
import { addMember } from '../helpers/operations';

// What the console offers each role comes from the server's policy (myPermissions), not from a copy of it.
consoleSuite('the console, by role', (ui) => {
  it('lands a client on a page it may see, saying what its role may do; nothing it asks for is refused', async () => {
    const password = 'a client password';
    await addMember(ui.t, 'client@access.test', 'CLIENT', {}, password);
    const { context, page } = await ui.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/graphql') && r.status() >= 400) refused.push(`${r.status()} ${r.request().postData()}`);
    });
    await page.goto(ui.url('/'));
    await page.locator('input[name="username"]').fill('client@access.test');
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByText('Signed in as client@access.test').waitFor();
    expect(page.url()).toContain('#/welcome');
    const operations = await page.getByTestId('operations').textContent();
    for (const op of ['fitScore', 'fitScores', 'icpVersions']) expect(operations).toContain(op);
    expect(operations).not.toContain('icps');
    // The menu offers no page the role would be refused.
    for (const label of ['ICPs', 'Tiers & segments', 'History', 'Score playground', 'Strategy', 'Scoring'])
      expect(await page.getByText(label, { exact: true }).count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
    await ui.shot(page, 'client-welcome');
    await context.close();
  });

  it('sends a role that may open a list from the start page to its first list', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/welcome'));
    await page.getByText('ml-inference').first().waitFor();
    expect(page.url()).toContain('#/icps');
    await context.close();
  });

  it('lands an auditor on the ICP list, with no write action offered and nothing refused', async () => {
    await addMember(ui.t, 'auditor@access.test', 'AUDITOR', {}, 'an auditor password');
    const { context, page } = await ui.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/graphql') && r.status() >= 400) refused.push(`${r.status()} ${r.request().postData()}`);
    });
    await ui.signIn(page, 'auditor@access.test', 'an auditor password');
    await page.getByText('ml-inference').first().waitFor();
    expect(page.url()).toMatch(/#\/icps$/);
    // Reads everything, history included; creates and edits nothing.
    for (const label of ['ICPs', 'History', 'Score playground', 'Users'])
      expect(await page.getByRole('menuitem', { name: label }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Create' }).count()).toBe(0);
    await page.locator('table tbody tr').first().click();
    // The ICP list's first row: an ICP opens on its overview.
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
    await context.close();
  });

  it("shows each user's role here on the users list and on the user's page", async () => {
    await addMember(ui.t, 'owner@access.test', 'STRATEGY_OWNER');
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/appUsers'));
    const row = page.locator('table tbody tr', { hasText: 'owner@access.test' });
    await row.getByText('strategy owner').waitFor();
    await row.click();
    await page.waitForURL(/#\/appUsers\/[^/]+\/show$/);
    await page.getByText('Role', { exact: true }).waitFor();
    await page.getByText('strategy owner').waitFor();
    await context.close();
  });
});
