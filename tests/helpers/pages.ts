import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * The console's pages, found the way a user finds them: every link of the
 * menu, and from each list its first record, that record's tabs and edit
 * form, and the list's create form. Nothing is copied from the registry, so
 * a new resource or tab is checked without touching the test.
 */
export async function consolePages(page: Page, url: (route: string) => string): Promise<string[]> {
  const hashOf = (href: string | null) => (href ? href.replace(/^.*#/, '') : null);
  const hrefs = async (selector: string) =>
    (await page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('href')))).map(hashOf);
  await page.goto(url('/'));
  await page.locator('.RaSidebar-fixed a[href]').first().waitFor();
  const menu = (await hrefs('.RaSidebar-fixed a[href]')).filter((h): h is string => !!h);
  const routes = new Set<string>();
  for (const route of menu) {
    routes.add(route);
    await page.goto(url(route));
    const rows = page.locator('.RaList-main table tbody tr');
    // Not a list (history, scoring), or an empty one: nothing to open.
    const isList = await rows
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!isList) continue;
    for (const create of await hrefs('a[aria-label="Create"]')) if (create) routes.add(create);
    await rows.first().click();
    await page.waitForURL(/\/show$/);
    await page.locator('[role="tab"]').first().waitFor();
    await settle(page);
    routes.add(hashOf(page.url())!);
    for (const h of await hrefs('[role="tab"][href], a[aria-label="Edit"]')) if (h) routes.add(h);
  }
  return [...routes];
}

/**
 * Waits until the page has loaded its data and stands still: no request in
 * flight, no progress bar, no notification, no transition under way (an
 * element fading in has not its final colours yet).
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('[role="progressbar"]')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  // A region that says it is loading its data (the history's table).
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  // A notification is about the step before (here, a redirect) and fades in and out: checked pages are read without it.
  await page
    .locator('.MuiSnackbar-root')
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined);
  await page
    // A function, not a string: the console's CSP refuses eval, which a string predicate needs.
    .waitForFunction(
      () =>
        !(globalThis as any).document
          .getAnimations()
          .some((a: any) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
}

/** The axe-core rules a page breaks with a serious or critical impact, one line each (rule, count, first target). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Colours are checked as they rest, not halfway through a transition (a button just enabled fades in over 250 ms,
  // and on a loaded machine axe may read it mid-way).
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ${v.nodes[0].target.join(' ')}`);
}

/** How far the page is wider than the window, in CSS pixels (0 when it fits). */
export function overflow(page: Page): Promise<number> {
  return page.evaluate<number>('Math.max(0, document.documentElement.scrollWidth - window.innerWidth)');
}

/**
 * Presses Tab until the focused element matches `selector` (at most `max`
 * times) and returns it, as a keyboard user reaches a control.
 */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean, string>((s) => !!(globalThis as any).document.activeElement?.matches(s), selector))
      return;
  }
  throw new Error(`${max} presses of Tab never reached ${selector}`);
}

/** The focused element's outline, as drawn (a visible focus ring has a width and a style). */
export function focusOutline(page: Page): Promise<string> {
  return page.evaluate<string>(
    '(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle === "none" ? "none" : s.outlineWidth + " " + s.outlineStyle; })()',
  );
}
