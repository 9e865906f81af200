import type { Page } from 'playwright-core';
import { consoleSuite } from '../helpers/browser';
import { addMember } from '../helpers/operations';
import { consolePages, focusOutline, overflow, seriousViolations, settle, tabTo } from '../helpers/pages';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// Every page of the console, for every user: axe-core finds no serious or critical problem,
// and no page is wider than the window.
consoleSuite('the console, accessible and responsive', (ui) => {
  let routes: string[] = [];
  let invitationToken = '';

  beforeAll(async () => {
    await ui.t.ok(`mutation { createApiKey(input: { name: "CRM enrichment", role: CLIENT }) { key } }`);
    const { inviteUser } = await ui.t.ok(
      `mutation { inviteUser(input: { email: "invited@a11y.test", role: AUDITOR }) { token } }`,
    );
    invitationToken = inviteUser.token;
    await addMember(ui.t, 'client@a11y.test', 'CLIENT', {}, 'a client password');
  });

  /** Each page's problems, as `route: problem` lines (empty when every page passes); axe-core where `axe` says. */
  async function check(page: Page, pages: string[], axe: (route: string) => boolean): Promise<string[]> {
    const problems: string[] = [];
    for (const route of pages) {
      await page.goto(ui.url(route));
      await settle(page);
      const wider = await overflow(page);
      if (wider) problems.push(`${route}: ${wider}px wider than the window`);
      if (axe(route)) for (const v of await seriousViolations(page)) problems.push(`${route}: ${v}`);
    }
    return problems;
  }
  const every = () => true;
  // On a phone a record's page is the laptop's markup, narrower; lists (one line per record) and the
  // other pages change markup, so axe-core runs there again.
  const notARecord = (route: string) => !/\/[0-9a-f]{8}-[0-9a-f-]{27}/.test(route);

  it('finds every page an admin can open', async () => {
    const { context, page } = await ui.newPage(LAPTOP);
    await ui.signIn(page);
    routes = await consolePages(page, (route) => ui.url(route));
    await context.close();
    // Lists, records, their tabs and forms of every resource, plus history and the scoring pages.
    for (const expected of [/^\/icps$/, /^\/icps\/[^/]+\/show\/examples$/, /^\/tiers\/create$/, /^\/personas\/[^/]+$/])
      expect(routes.some((r) => expected.test(r))).toBe(true);
    for (const page of ['/history', '/playground', '/batch', '/simulate', '/invitations/create', '/apiKeys/create'])
      expect(routes).toContain(page);
    expect(routes.length).toBeGreaterThan(60);
  }, 300_000);

  for (const [name, viewport, axe] of [
    ['a laptop (1,280 px)', LAPTOP, every],
    ['a phone (390 px)', PHONE, notARecord],
  ] as const) {
    it(`on ${name}: no page has a serious axe violation or is wider than the window`, async () => {
      const { context, page } = await ui.newPage(viewport);
      await ui.signIn(page);
      const problems = await check(page, routes, axe);
      await context.close();
      expect(problems).toEqual([]);
    }, 900_000);

    it(`on ${name}: so do the sign-in page, an invitation and a client's welcome page`, async () => {
      const { context, page } = await ui.newPage(viewport);
      const problems = await check(page, ['/login', `/accept?token=${invitationToken}`], every);
      await ui.signIn(page, 'client@a11y.test', 'a client password', 'Signed in as client@a11y.test');
      problems.push(...(await check(page, ['/welcome'], every)));
      await context.close();
      expect(problems).toEqual([]);
    });
  }

  // On a slow machine a page's data may still be on its way when axe reads it: that state must pass too.
  for (const [name, viewport] of [
    ['a laptop', LAPTOP],
    ['a phone', PHONE],
  ] as const) {
    it(`on ${name}, while the history is still loading: not dimmed below contrast, its table reachable by keyboard`, async () => {
      const { context, page } = await ui.newPage(viewport);
      await ui.signIn(page);
      // The history's answer held back, as on a slow link or a busy server.
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/graphql', async (route) => {
        if (route.request().postData()?.includes('historyCount')) await held;
        await route.continue().catch(() => undefined);
      });
      await page.goto(ui.url('/history'));
      await page.locator('table[aria-label="history"] th').first().waitFor();
      await page.getByRole('progressbar', { name: 'Loading the history' }).waitFor();
      const problems = await seriousViolations(page);
      release();
      await context.close();
      expect(problems).toEqual([]);
    });
  }

  it("keyboard only: Tab to a row, Enter opens it, edit a field and save; an ICP tab's rows too", async () => {
    const { context, page } = await ui.newPage(LAPTOP);
    await ui.signIn(page);
    await page.goto(ui.url('/personas'));
    await page.locator('.RaList-main table tbody tr').first().waitFor();
    await page.locator('body').focus();
    await tabTo(page, 'tbody tr');
    expect(await focusOutline(page)).toMatch(/^[1-9][\d.]*px solid$/);
    const name = await page.evaluate<string>('document.activeElement.querySelector("td.column-name").textContent');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/personas\/[^/]+\/show$/);
    const id = page.url().match(/personas\/([^/]+)\/show/)![1];
    await page.locator('a[aria-label="Edit"]').waitFor();
    await tabTo(page, 'a[aria-label="Edit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/personas/${id}$`));
    // The form is drawn once the record has loaded.
    await page.locator('input[name="name"]').waitFor();
    await tabTo(page, 'input[name="name"]');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(`${name} (keyboard)`);
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/personas/${id}/show$`));
    const { persona } = await ui.t.ok(`query($id: ID!) { persona(id: $id) { name } }`, { id });
    expect(persona.name).toBe(`${name} (keyboard)`);

    // The rows of an ICP's tab open the same way.
    const { icpBySlug } = await ui.t.ok(`{ icpBySlug(idOrSlug: "itsm") { id } }`);
    await page.goto(ui.url(`/icps/${icpBySlug.id}/show/examples`));
    await page.locator('table tbody tr').first().waitFor();
    await tabTo(page, 'tbody tr');
    await page.keyboard.press('Enter');
    // An editor edits a part in place: the row opens its form in a dialog over the ICP.
    await page.getByRole('dialog').waitFor();
    await context.close();
  });
});
