import fs from 'node:fs';
import { consoleSuite } from '../helpers/browser';
import { login } from '../helpers/server';
import { addMember } from '../helpers/operations';

// The console in Debian's Chromium, against the real server and database.
consoleSuite('the console', (ui) => {
  it('signs in and lists the ICPs, loading the record pages only after sign-in', async () => {
    const { context, page } = await ui.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await page.goto(ui.url('/'));
    await page.locator('input[name="username"]').waitFor();
    // The sign-in page loads the framework, not the pages behind it.
    expect(
      scripts.filter((u) => /\/(all|HistoryPage|ConditionBuilder|Playground|BatchScoring|Simulation)-/.test(u)),
    ).toEqual([]);
    await ui.signIn(page);
    // ...and the record pages' chunk once signed in (so the names above are the chunks' real names).
    expect(scripts.some((u) => /\/all-[\w-]+\.js$/.test(u))).toBe(true);
    await page.getByText('ml-inference').waitFor();
    for (const slug of ['itsm', 'make-enterprise', 'driftsentry'])
      expect(await page.getByText(slug, { exact: true }).count()).toBeGreaterThan(0);
    await ui.shot(page, 'icp-list');
    await context.close();
  });

  it('keeps the session in an HttpOnly cookie, never in storage a script can read; signing out clears it', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    const stored = await page.evaluate(() =>
      JSON.stringify({
        local: { ...(globalThis as any).localStorage },
        session: { ...(globalThis as any).sessionStorage },
        cookie: (globalThis as any).document.cookie,
      }),
    );
    expect(stored).not.toMatch(/eyJ|icp_session/);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'icp_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.getByLabel('Profile').click();
    await page.getByText('Logout').click();
    await page.locator('input[name="username"]').waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'icp_session')).toEqual([]);
    await context.close();
  });

  it('runs under its Content-Security-Policy with no violation; an injected inline script is refused and reported', async () => {
    const { context, page } = await ui.newPage();
    const res = await page.goto(`${ui.t.baseUrl}/admin/`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await ui.signIn(page);
    ui.expectErrors(/CSP violation: script-src-elem blocked inline/, /Executing inline script violates/);
    await page.evaluate(
      "const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.appendChild(s);",
    );
    await page.waitForTimeout(200);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    await context.close();
  });

  it('opens every record type: list, a record, its form, with no browser error', async () => {
    await ui.t.ok(`mutation { createApiKey(input: { name: "CRM enrichment", role: CLIENT }) { key } }`);
    await ui.t.ok(`mutation { inviteUser(input: { email: "invited@console.test", role: AUDITOR }) { token } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    const resources = [
      'icps',
      'tiers',
      'personas',
      'useCasePatterns',
      'disqualifiers',
      'triggerEvents',
      'scoringDimensions',
      'scoringRules',
      'actionBands',
      'exampleAccounts',
      'attributeDefinitions',
      'appUsers',
      'memberships',
      'apiKeys',
      'invitations',
    ];
    // Keys, invitations and (global) users have no edit form.
    const readOnly = ['apiKeys', 'invitations', 'appUsers'];
    for (const resource of resources) {
      await page.goto(ui.url(`/${resource}`));
      const rows = page.locator('table tbody tr');
      await rows
        .first()
        .waitFor()
        .catch(async (e) => {
          await ui.shot(page, `no-rows-${resource}`);
          throw new Error(`${resource}: ${e.message}`);
        });
      await rows.first().click();
      await page.waitForURL(new RegExp(`#/${resource}/[^/]+/show$`));
      // An ICP opens on its overview; the other records on their details.
      await page.getByRole('tab', { name: resource === 'icps' ? /overview/i : /details/i }).waitFor();
      if (!readOnly.includes(resource)) {
        await page.goto(page.url().replace(/\/show$/, ''));
        await page.getByRole('button', { name: /save/i }).waitFor();
      }
    }
    // An ICP's edit form: its own fields and its parts, in tabs.
    const { icpBySlug } = await ui.t.ok(`{ icpBySlug(idOrSlug: "driftsentry") { id } }`);
    await page.goto(ui.url(`/icps/${icpBySlug.id}`));
    for (const tab of [
      'Criteria',
      'Buying',
      'Research',
      'Tiers & segments',
      'Personas',
      'Use cases',
      'Disqualifiers',
      'Triggers',
      'Scoring',
      'Example accounts',
    ]) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
    }
    await page.locator('table tbody tr:visible').first().waitFor();
    await ui.shot(page, 'icp-edit-examples-tab');
    await context.close();
  }, 180_000);

  it('edits an ICP in its tabs', async () => {
    const { icpBySlug } = await ui.t.ok(`{ icpBySlug(idOrSlug: "make-enterprise") { id budget } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/icps/${icpBySlug.id}/buying`));
    await page.getByLabel(/^budget/i).fill('$50K+ a year');
    await page.getByRole('tab', { name: 'Profile', exact: true }).click();
    await page.getByLabel(/^why/i).fill('Budget from the Q3 deals');
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/#\/icps\/[^/]+\/show$/);
    const { icpBySlug: after } = await ui.t.ok(`{ icpBySlug(idOrSlug: "make-enterprise") { id budget } }`);
    expect(after.budget).toBe('$50K+ a year');
    const { history } = await ui.t.ok(`query($id: ID!) { history(filter: { entityId: $id }, limit: 1) { reason } }`, {
      id: icpBySlug.id,
    });
    expect(history[0].reason).toBe('Budget from the Q3 deals');
    await context.close();
  });

  it('creates a persona', async () => {
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(`${ui.t.baseUrl}/admin/#/personas/create`);
    await page.getByLabel(/^icp/i).click();
    await page.getByRole('option', { name: /ML inference/i }).click();
    await page.getByLabel(/^name/i).fill('Head of Platform');
    await page.getByLabel(/^job titles/i).fill('VP Platform');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /save/i }).click();
    // Saved, the new persona's page shows it.
    await page.waitForURL(/#\/personas\/[^/]+\/show$/);
    await page.getByText('Head of Platform').first().waitFor();
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Head of Platform" }) { name } }`);
    expect(personas).toEqual([{ name: 'Head of Platform' }]);
    const { personas: saved } = await ui.t.ok(`{ personas(filter: { q: "Head of Platform" }) { jobTitles } }`);
    expect(saved[0].jobTitles).toEqual(['VP Platform']);
    await ui.shot(page, 'persona-created');
    await context.close();
  });

  it("edits a tier's criteria: a bad expression is refused next to the field, a good one saved", async () => {
    const { tiers } = await ui.t.ok(`{ tiers(filter: { q: "Tier 3: Growth" }) { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(`${ui.t.baseUrl}/admin/#/tiers/${tiers[0].id}`);
    const criteria = page.getByLabel(/criteria/i);
    // Checked as it is typed, before any save: the message, and the offending part marked.
    await criteria.fill('account.employees > 10 && account.revenue > 10');
    await page
      .getByText(/unknown attribute "revenue"/)
      .first()
      .waitFor();
    expect(await page.getByTestId('expression-error-mark').locator('mark').innerText()).toContain('revenue');
    await ui.shot(page, 'tier-bad-expression');
    // Saving it anyway is refused by the server, next to the field.
    await page.getByRole('button', { name: /save/i }).click();
    await page
      .getByText(/unknown attribute "revenue"/)
      .nth(1)
      .waitFor();
    await criteria.fill('account.annualRevenueUsd >= 10000000.0');
    await page.getByText(/✓ Valid · reads annualRevenueUsd/).waitFor();
    await page.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/#\/tiers\/[^/]+\/show$/);
    // Saving says where the change went: the draft, not what client tools score with.
    await page.getByText('Saved in the draft: not live until the ICP is published').waitFor();
    const { tier } = await ui.t.ok(`query($id: ID!) { tier(id: $id) { criteria } }`, { id: tiers[0].id });
    expect(tier.criteria).toBe('account.annualRevenueUsd >= 10000000.0');
    await context.close();
  });

  it('two sessions editing one record: the second gets a conflict, not a lost edit', async () => {
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Champion" }, limit: 1) { id } }`);
    const id = personas[0].id;
    const one = await ui.newPage();
    const two = await ui.newPage();
    await ui.signIn(one.page);
    await ui.signIn(two.page);
    await one.page.goto(`${ui.t.baseUrl}/admin/#/personas/${id}`);
    await two.page.goto(`${ui.t.baseUrl}/admin/#/personas/${id}`);
    await one.page.getByLabel(/^quote/i).fill('First edit');
    await two.page.getByLabel(/^quote/i).fill('Second edit');
    await one.page.getByLabel(/^experience/i).fill('Ten years');
    await one.page.getByRole('button', { name: /save/i }).click();
    await one.page.waitForURL(/#\/personas\/[^/]+\/show$/);
    await two.page.getByRole('button', { name: /save/i }).click();
    await two.page.getByTestId('conflict').waitFor();
    // The second user's text is still in the form, and the first edit stands.
    expect(await two.page.getByLabel(/^quote/i).inputValue()).toBe('Second edit');
    await ui.shot(two.page, 'conflict');
    const { persona } = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote experience } }`, { id });
    expect(persona).toEqual({ quote: 'First edit', experience: 'Ten years' });
    // Reload: their changes come in, the second user's typing stays, and saving again keeps both.
    await two.page.getByRole('button', { name: /reload and keep my changes/i }).click();
    await two.page
      .getByTestId('conflict-merged')
      .getByText(/You both changed Quote/)
      .waitFor();
    // Who saved first, and for each field both changed, their value beside this user's.
    const [{ actorLabel }] = (
      await ui.t.ok(`query($id: ID!) { history(filter: { entityId: $id }, limit: 1) { actorLabel } }`, {
        id,
      })
    ).history;
    expect(await two.page.getByTestId('conflict-merged').innerText()).toContain(`by ${actorLabel} at`);
    const clash = two.page.getByTestId('conflict-fields').locator('[data-field="quote"]');
    expect(await clash.getByTestId('theirs').innerText()).toBe('First edit');
    expect(await clash.getByTestId('yours').innerText()).toBe('Second edit');
    expect(await two.page.getByTestId('conflict-fields').locator('[data-field]').count()).toBe(1);
    expect(await two.page.getByLabel(/^quote/i).inputValue()).toBe('Second edit');
    expect(await two.page.getByLabel(/^experience/i).inputValue()).toBe('Ten years');
    await two.page.getByRole('button', { name: /save/i }).click();
    await two.page.waitForURL(/#\/personas\/[^/]+\/show$/);
    const after = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote experience } }`, { id });
    expect(after.persona).toEqual({ quote: 'Second edit', experience: 'Ten years' });
    await one.context.close();
    await two.context.close();
  });

  it('warns before leaving a form with unsaved changes; staying keeps the typing', async () => {
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Champion" }, limit: 1) { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(`${ui.t.baseUrl}/admin/#/personas/${personas[0].id}`);
    await page.getByLabel(/^quote/i).fill('Typed, not saved');
    const dialogs: string[] = [];
    // First time: stay. Second time: leave.
    page.once('dialog', (d) => {
      dialogs.push(d.type());
      void d.dismiss();
    });
    await page.getByRole('menuitem', { name: /^tiers/i }).click();
    await page.waitForFunction(() => true); // the click's handlers (and the dialog's) have run
    await page.getByLabel(/^quote/i).waitFor();
    expect(dialogs[0]).toBe('confirm');
    expect(page.url()).toMatch(/#\/personas\/[^/]+$/);
    expect(await page.getByLabel(/^quote/i).inputValue()).toBe('Typed, not saved');
    page.once('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.getByRole('menuitem', { name: /^tiers/i }).click();
    await page.waitForURL(/#\/tiers/);
    expect(dialogs).toHaveLength(2);
    const { persona } = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote } }`, { id: personas[0].id });
    expect(persona.quote).not.toBe('Typed, not saved');
    await context.close();
  });

  it("switches between the user's workspaces", async () => {
    await ui.t.ok(`mutation { createWorkspace(input: { slug: "emea", name: "EMEA sales" }) { id } }`);
    await ui.t.ok(
      `mutation { createIcp(input: { slug: "emea-smb", name: "EMEA SMB" }) { id } }`,
      {},
      { 'x-workspace': 'emea' },
    );
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.getByText('ml-inference').first().waitFor();
    await page.getByRole('button', { name: /profile/i }).click();
    await page.getByRole('menuitem', { name: /EMEA sales/ }).click();
    await page.getByText('emea-smb').waitFor();
    expect(await page.getByText('ml-inference').count()).toBe(0);
    expect(await page.getByText(/admin@example.test \(admin, emea\)/).count()).toBe(1);
    await ui.shot(page, 'workspace-switched');
    // And back.
    await page.getByRole('button', { name: /profile/i }).click();
    await page.getByRole('menuitem', { name: /demo/ }).click();
    await page.getByText('ml-inference').first().waitFor();
    expect(await page.getByText('emea-smb').count()).toBe(0);
    await context.close();
  });

  it('an auditor reads everything, changes nothing, filters and exports the history and verifies it', async () => {
    await addMember(ui.t, 'auditor@console.test', 'AUDITOR', {}, 'an auditor password');
    const { personas } = await ui.t.ok(`{ personas(limit: 1) { id name revision } }`);
    // Something for the auditor to find: a persona changed by the admin.
    await ui.t.ok(
      `mutation($id: ID!, $rev: Int!) { updatePersona(id: $id, expectedRevision: $rev, input: { education: "MBA" }, reason: "From the interviews") { id } }`,
      { id: personas[0].id, rev: personas[0].revision },
    );
    const { context, page } = await ui.newPage();
    await ui.signIn(page, 'auditor@console.test', 'an auditor password');
    // A record's page: no edit button, its history readable.
    await page.goto(ui.url(`/personas/${personas[0].id}/show`));
    await page.getByText(personas[0].name).first().waitFor();
    expect(await page.getByRole('link', { name: /^edit$/i }).count()).toBe(0);
    await page.getByRole('tab', { name: /history/i }).click();
    await page
      .getByTestId(`revision-${personas[0].revision + 1}`)
      .getByText('From the interviews')
      .waitFor();
    // The edit page is closed to auditors.
    await page.goto(ui.url(`/personas/${personas[0].id}`));
    await page
      .getByText(/not authorized|access denied/i)
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /save/i }).count()).toBe(0);
    // The workspace history: filter by person and entity, export, verify.
    await page.goto(ui.url('/history'));
    await page.getByLabel('Who').fill('admin@example');
    await page.getByRole('combobox', { name: 'Record type' }).click();
    // The types are the server's (an ICP, its versions, its parts in the registry's order, then the rest), in words.
    const { historyEntityTypes } = await ui.t.ok(`{ historyEntityTypes }`);
    await page.getByRole('option', { name: 'Example account', exact: true }).waitFor();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.slice(0, 3)).toEqual(['Any', 'ICP', 'Published version']);
    expect(options).toHaveLength(historyEntityTypes.length + 1);
    await page.getByRole('option', { name: 'Persona', exact: true }).click();
    // The filtered page replaces the unfiltered one (a timeout here means the filter does not filter).
    await page.waitForFunction(() => {
      const cells = [
        ...(globalThis as any).document.querySelectorAll('table[aria-label="history"] tbody tr td:nth-child(7)'),
      ];
      return cells.length > 0 && cells.every((c: { textContent: string }) => c.textContent === 'Persona');
    });
    const types = await page.locator('table[aria-label="history"] tbody tr td:nth-child(7)').allInnerTexts();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['Persona']));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/entity_?type/i);
    expect(csv).toContain('Persona');
    expect(csv).not.toContain('"Tier"');
    await page.getByRole('button', { name: /verify the history/i }).click();
    await page.getByTestId('verify-result').getByText('History intact').waitFor();
    await ui.shot(page, 'auditor-history-verified');
    // Someone with the database owner's password edits a revision behind the API's back: the check turns red and says where.
    // Chains are per workspace: the demo workspace's fifth revision.
    const [victim] = await ui.t.sql(
      `SELECT r.chain_index, r.actor_label, r.workspace_id FROM revision r JOIN workspace w ON w.id = r.workspace_id WHERE w.slug = 'demo' ORDER BY r.chain_index LIMIT 1 OFFSET 4`,
    );
    const tamper = async (label: string) => {
      await ui.t.sql('ALTER TABLE revision DISABLE TRIGGER revision_no_update_delete');
      await ui.t.sql('UPDATE revision SET actor_label = $1 WHERE workspace_id = $2 AND chain_index = $3', [
        label,
        victim.workspace_id,
        victim.chain_index,
      ]);
      await ui.t.sql('ALTER TABLE revision ENABLE TRIGGER revision_no_update_delete');
    };
    await tamper('someone else');
    await page.getByRole('button', { name: /verify the history/i }).click();
    await page.getByTestId('verify-result').getByText('History broken').waitFor();
    expect(await page.getByTestId('verify-result').innerText()).toContain(`revision #${victim.chain_index}`);
    await ui.shot(page, 'auditor-history-broken');
    await tamper(victim.actor_label);
    // And the server refuses the auditor's writes whatever the console shows.
    const token = await login(ui.t.baseUrl, 'auditor@console.test', 'an auditor password');
    const refused = await ui.t.gql(
      `mutation($id: ID!) { updatePersona(id: $id, expectedRevision: 1, input: { quote: "x" }) { id } }`,
      { id: personas[0].id },
      { authorization: `Bearer ${token}` },
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await context.close();
  });

  it('an invited person opens the link, chooses a password and joins', async () => {
    const { inviteUser } = await ui.t.ok(
      `mutation { inviteUser(input: { email: "newcomer@console.test", role: AUDITOR }) { token } }`,
    );
    const { context, page } = await ui.newPage();
    await page.goto(ui.url(`/accept?token=${inviteUser.token}`));
    await page.getByLabel('Your name').fill('Newcomer');
    await page.getByLabel('Password').fill('a newcomer password');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText(/You joined demo \(auditor\)/).waitFor();
    await login(ui.t.baseUrl, 'newcomer@console.test', 'a newcomer password');
    await context.close();
  });
});
