import type { Locator, Page } from 'playwright-core';
import { consoleSuite } from '../helpers/browser';

// The visual condition builder in Chromium (issue 16, item 4): opening it changes nothing, it shows the demo's
// lists, its controls are labelled, and a condition is written only once the user has picked it.
const criteria = (page: Page) => page.locator('textarea[name="criteria"]');
const unlabelled = (builder: Locator) =>
  builder
    .locator('select, input, textarea')
    .evaluateAll((els) =>
      els
        .filter((el) => !(el as { labels?: { length: number } }).labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML.slice(0, 120)),
    );

consoleSuite('console: the condition builder', (ui) => {
  it('opens on Tier 2 without changing it, then builds `industry in [...]` from labelled controls', async () => {
    const { tiers } = await ui.t.ok(`{ tiers(filter: { q: "Tier 2: Enterprise" }) { id criteria } }`);
    const [tier] = tiers;
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/tiers/${tier.id}`));
    await criteria(page).waitFor();
    expect(await criteria(page).inputValue()).toBe(tier.criteria);
    const save = page.getByRole('button', { name: /^save$/i });
    expect(await save.isDisabled()).toBe(true);

    await page.getByRole('button', { name: /build visually/i }).click();
    const builder = page.getByTestId('condition-builder');
    await builder.getByRole('group', { name: 'Condition 7' }).waitFor();
    // Opening it rewrote nothing and left the form as it was.
    expect(await criteria(page).inputValue()).toBe(tier.criteria);
    expect(await save.isDisabled()).toBe(true);
    // The maturity list shows its two values, under the catalogue's label.
    const maturity = builder.getByRole('group', { name: 'Condition 3' });
    expect(await maturity.getByLabel('Attribute').inputValue()).toBe('mlMaturity');
    expect(await maturity.getByLabel('Comparison').inputValue()).toBe('in');
    expect(await maturity.locator('.MuiChip-label').allInnerTexts()).toEqual(['growing', 'dedicated']);
    const revenue = builder.getByRole('group', { name: 'Condition 1' });
    expect(await revenue.getByLabel('Attribute').locator('option:checked').innerText()).toBe(
      'Annual revenue (USD per year)',
    );
    expect(await revenue.getByLabel('Value (USD per year)').inputValue()).toBe('100000000.0');
    expect(await unlabelled(builder)).toEqual([]);
    await ui.shot(page, 'builder-tier-2');

    // A new condition is written only once it has an attribute, a comparison and its values.
    await builder.getByRole('button', { name: '+ Condition' }).last().click();
    const added = builder.getByRole('group', { name: 'Condition 8' });
    await added.waitFor();
    await page.getByText('Condition 8: pick an attribute').waitFor();
    await added.getByLabel('Attribute').selectOption('industry');
    await added.getByLabel('Comparison').selectOption('in');
    await page.getByText('Condition 8: give at least one value').waitFor();
    expect(await criteria(page).inputValue()).toBe(tier.criteria);
    expect(await save.isDisabled()).toBe(true);
    const values = added.getByLabel('Values');
    for (const value of ['SaaS', 'FinTech']) {
      await values.fill(value);
      await values.press('Enter');
    }
    const expected = `${tier.criteria} && account.industry in ['SaaS', 'FinTech']`;
    await page.waitForFunction(
      (want) => (globalThis as any).document.querySelector('textarea[name="criteria"]')?.value === want,
      expected,
    );
    await page.getByText(/✓ Valid/).waitFor();
    expect(await unlabelled(builder)).toEqual([]);
    await ui.shot(page, 'builder-industry-in');
    await save.click();
    await page.waitForURL(/#\/tiers\/[^/]+\/show$/);
    const saved = await ui.t.ok(`query($id: ID!) { tier(id: $id) { criteria } }`, { id: tier.id });
    expect(saved.tier.criteria).toBe(expected);
    await context.close();
  });

  it('shows a value outside the allowed values as the server refuses it, not as valid', async () => {
    const { disqualifiers } = await ui.t.ok(`{ disqualifiers(filter: { q: "No clear ML use case" }) { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/disqualifiers/${disqualifiers[0].id}`));
    const expression = page.getByLabel(/^expression/i);
    await expression.fill("account.mlMaturity == 'dedicatd'");
    await page.getByText(/did you mean 'dedicated'\?/).waitFor();
    expect(await page.getByTestId('expression-error-mark').locator('mark').innerText()).toBe("'dedicatd'");
    expect(await page.getByText(/✓ Valid/).count()).toBe(0);
    await expression.fill('account.industry == ""');
    await page.getByText(/is compared with an empty string/).waitFor();
    await context.close();
  });
});
