import { consoleSuite } from '../helpers/browser';

// Revisions, diffs, revert and publishing, in the console.
consoleSuite('the console: history and versions', (ui) => {
  it("shows a record's revisions side by side and reverts to an earlier one", async () => {
    const { personas } = await ui.t.ok(`{ personas(filter: { q: "Champion" }, limit: 1) { id revision quote } }`);
    const { id, quote: original } = personas[0];
    const r1 = await ui.t.ok(
      `mutation($id: ID!, $rev: Int!) { updatePersona(id: $id, expectedRevision: $rev, input: { quote: "We need this yesterday." }, reason: "Sharper quote") { revision } }`,
      { id, rev: personas[0].revision },
    );
    await ui.t.ok(
      `mutation($id: ID!, $rev: Int!) { updatePersona(id: $id, expectedRevision: $rev, input: { quote: "Show me the numbers." }, reason: "From the call notes") { revision } }`,
      { id, rev: r1.updatePersona.revision },
    );
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/personas/${id}/show/history`));
    const latest = r1.updatePersona.revision + 1;
    // The timeline: who, when, action, why.
    const row = page.getByTestId(`revision-${latest}`);
    await row.getByText('From the call notes').waitFor();
    expect(await row.innerText()).toMatch(/update/i);
    expect(await row.innerText()).toContain('admin@example.test');
    // Compare the two edits side by side.
    await page.getByRole('radio', { name: `compare from revision ${latest - 1}` }).check();
    const diff = page.getByTestId('diff');
    await diff.getByText('We need this yesterday.').waitFor();
    await diff.getByText('Show me the numbers.').waitFor();
    await ui.shot(page, 'record-history-diff');
    // Revert to the revision before both edits.
    await page
      .getByTestId(`revision-${latest - 2}`)
      .getByRole('button', { name: /revert to this/i })
      .click();
    await page.getByLabel('Why').fill('Back to the source document');
    await page.getByRole('button', { name: /^revert$/i }).click();
    await page.getByText(/Brought back to revision/).waitFor();
    await page
      .getByTestId(`revision-${latest + 1}`)
      .getByText('Back to the source document')
      .waitFor();
    const { persona } = await ui.t.ok(`query($id: ID!) { persona(id: $id) { quote revision } }`, { id });
    expect(persona).toEqual({ quote: original, revision: latest + 1 });
    const { history } = await ui.t.ok(
      `query($id: ID!) { history(filter: { entityId: $id }, limit: 1) { action reason actorLabel } }`,
      { id },
    );
    expect(history[0]).toEqual({
      action: 'REVERT',
      reason: 'Back to the source document',
      actorLabel: 'admin@example.test',
    });
    await context.close();
  });

  it('shows what the draft changes and publishes it with a changelog', async () => {
    const { icpBySlug: icp } = await ui.t.ok(
      `{ icpBySlug(idOrSlug: "itsm") { id tiers { id name revision description } } }`,
    );
    const tier = icp.tiers[0];
    await ui.t.ok(
      `mutation($id: ID!, $rev: Int!) { updateTier(id: $id, expectedRevision: $rev, input: { description: "Reworded for the sales kick-off" }) { id } }`,
      { id: tier.id, rev: tier.revision },
    );
    const before = await ui.t.ok(`{ icpVersions(icp: "itsm") { version } }`);
    const next = before.icpVersions[0].version + 1;
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/icps/${icp.id}/show/versions`));
    // The draft against the last published version: one unpublished change, by name, old value beside the new.
    await page.getByTestId('unpublished-changes').getByText('1 unpublished change').waitFor();
    const change = page.getByTestId('changes').locator('li[data-action="CHANGED"]').first();
    await change.waitFor();
    expect(await change.innerText()).toContain(`Tier “${tier.name}” changed`);
    const described = change.locator('li[data-field="description"]');
    // A rewrite: the old text struck through, then the new one.
    expect(await described.locator('ins').innerText()).toBe('Reworded for the sales kick-off');
    expect(await described.locator('del').innerText()).toBe(tier.description);
    expect(await page.getByTestId('changes').innerText()).not.toMatch(/\/tiers\/[0-9a-f-]{36}/);
    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByLabel('Changelog').fill('Tier 1 description reworded for the sales kick-off');
    await ui.shot(page, 'publish-dialog');
    await page.getByRole('button', { name: `Publish version ${next}` }).click();
    await page.getByText(`Published version ${next}`).waitFor();
    await page.getByTestId(`version-${next}`).getByText('Tier 1 description reworded for the sales kick-off').waitFor();
    await page.getByText(/No differences: the draft is the published version/).waitFor();
    // Nothing left to publish: the button says why it is off.
    await page.getByTestId('unpublished-changes').getByText('Everything is published').waitFor();
    expect(await page.getByRole('button', { name: /^publish$/i }).isDisabled()).toBe(true);
    expect(await page.getByTestId('publish-blocker').innerText()).toBe(
      `Nothing to publish: the draft is the same as version ${next}.`,
    );
    // Any two versions compared.
    await page.locator('select[name="compare-from"]').selectOption(String(next - 1));
    await page.locator('select[name="compare-to"]').selectOption(String(next));
    await page.getByText(`Version ${next - 1} → version ${next}`).waitFor();
    expect(await page.getByTestId('changes').innerText()).toContain('Reworded for the sales kick-off');
    await ui.shot(page, 'published');
    // The ICP's history holds its parts and its publishes, each linked to its record.
    await page.goto(ui.url(`/icps/${icp.id}/show/history`));
    const activity = page.getByTestId('icp-activity');
    await activity.locator('tr[data-entity-type="IcpVersion"]').first().waitFor();
    expect(await activity.locator('tr[data-entity-type="IcpVersion"]').first().innerText()).toContain(
      `Published version “version ${next}”`,
    );
    const tierRow = activity.locator('tr[data-entity-type="Tier"]').first();
    expect(await tierRow.innerText()).toContain(`Tier “${tier.name}”`);
    expect(await tierRow.getByRole('link').getAttribute('href')).toBe(`#/tiers/${tier.id}/show`);
    const after = await ui.t.ok(`{ icpVersion(icp: "itsm") { version changelog publishedBy snapshot } }`);
    expect(after.icpVersion).toMatchObject({
      version: next,
      changelog: 'Tier 1 description reworded for the sales kick-off',
      publishedBy: 'admin@example.test',
    });
    expect(JSON.stringify(after.icpVersion.snapshot)).toContain('Reworded for the sales kick-off');
    // Clients score with the new version at once.
    const { fitScore } = await ui.t.ok(`{ fitScore(icp: "itsm", account: { attributes: {} }) { icpVersion } }`);
    expect(fitScore.icpVersion).toBe(next);
    await context.close();
  });

  it('builds a condition visually and keeps the text one click away', async () => {
    const { disqualifiers } = await ui.t.ok(`{ disqualifiers(limit: 1) { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/disqualifiers/${disqualifiers[0].id}`));
    const expression = page.getByLabel(/^expression/i);
    await expression.fill('account.employees < 50');
    await page.getByText(/✓ Valid · reads employees/).waitFor();
    await page.getByRole('button', { name: /build visually/i }).click();
    const builder = page.getByTestId('condition-builder');
    await builder.waitFor();
    // The builder shows the condition; changing its value rewrites the text.
    const value = builder.getByRole('group', { name: 'Condition 1' }).getByLabel(/^Value/);
    expect(await value.inputValue()).toBe('50');
    await value.fill('20');
    await page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector('textarea[name="expression"]')?.value === 'account.employees < 20',
    );
    await page.getByText(/✓ Valid/).waitFor();
    await ui.shot(page, 'condition-builder');
    // A richer expression is left to the text editor, and said so.
    await expression.fill('account.employees < 20 && size(account.cloudProviders) > 2');
    await page.getByText(/cannot show it faithfully/).waitFor();
    await context.close();
  });

  it('fits a narrow window', async () => {
    const { context, page } = await ui.newPage({ width: 400, height: 800 });
    await ui.signIn(page);
    await page.goto(ui.url('/personas'));
    await page.getByText('Champion').first().waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await ui.shot(page, 'narrow-personas');
    await context.close();
  });

  it("reads the workspace's history by ICP and record type, in people's words, kept in the URL, linked to the records", async () => {
    const { icpBySlug: icp } = await ui.t.ok(`{ icpBySlug(idOrSlug: "itsm") { id name tiers { id name } } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/history'));
    // Record types as people call them, not as the code does.
    await page.getByRole('combobox', { name: 'Record type' }).click();
    for (const name of ['Published version', 'User', 'Tier', 'Scoring rule'])
      await page.getByRole('option', { name, exact: true }).waitFor();
    expect(await page.getByRole('option', { name: /IcpVersion|AppUser/ }).count()).toBe(0);
    await page.getByRole('option', { name: 'Tier', exact: true }).click();
    await page.getByRole('combobox', { name: 'ICP' }).click();
    await page.getByRole('option', { name: icp.name, exact: true }).click();
    await page.waitForURL(new RegExp(`#/history\\?.*icp=${icp.id}`));
    expect(page.url()).toContain('entityType=Tier');
    // The filter is the URL's: opened again, the page shows the same entries.
    await page.goto(ui.url('/icps'));
    await page.goto(ui.url(`/history?icp=${icp.id}&entityType=Tier`));
    const rows = page.getByRole('table', { name: 'history' }).locator('tbody tr');
    await rows.first().getByText(icp.name).waitFor();
    for (const row of await rows.all()) {
      expect(await row.getByRole('cell').nth(5).innerText()).toBe(icp.name);
      expect(await row.getByRole('cell').nth(6).innerText()).toBe('Tier');
    }
    // One number per entry: the newest here is the newest of the export with the same filter.
    const { exportHistory } = await ui.t.ok(
      `query($i: ID!) { exportHistory(format: CSV, filter: { icpId: $i, entityType: Tier }) }`,
      { i: icp.id },
    );
    const newest = exportHistory.trim().split('\r\n').pop()!.split(',')[0].replace(/"/g, '');
    expect(await rows.first().getByRole('cell').nth(1).innerText()).toBe(newest);
    // Each entry links to its record.
    const first = await rows.first().getByRole('cell').nth(7).getByRole('link').innerText();
    await rows.first().getByRole('cell').nth(7).getByRole('link').click();
    await page.waitForURL(/#\/tiers\/[^/]+\/show$/);
    expect(icp.tiers.map((t: { name: string }) => t.name)).toContain(first);
    await context.close();
  });
});
