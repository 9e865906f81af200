import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './chromium';
import { TEST_ADMIN } from './db';
import { startTestServer, type TestServer } from './server';

// The console in Debian's Chromium, against the real server and database.
// Each console spec file calls `consoleSuite(name, body)`; inside, `ui` holds
// the server, the browser and helpers. Any error in the browser's console
// fails the test that caused it, unless the test lists it in `ui.expectErrors`.
export const SHOTS = path.resolve(__dirname, '../e2e/screenshots');
const available = fs.existsSync(CHROMIUM);
if (!available) {
  const message = `\n\n*** Console tests NOT run: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium ***\n\n`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(message);
}

export interface ConsoleUi {
  t: TestServer;
  browser: Browser;
  /** A fresh browser context (own cookies and storage) at a laptop-sized viewport unless told otherwise. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in at /admin and waits for the menu (or `landing`, for a role without it). */
  signIn(page: Page, email?: string, password?: string, landing?: string): Promise<void>;
  /** Saves a full-page screenshot as tests/e2e/screenshots/<name>.png. */
  shot(page: Page, name: string): Promise<Buffer>;
  /** Browser console errors this test expects (e.g. an HTTP 403 the browser logs). */
  expectErrors(...patterns: RegExp[]): void;
  /** `${t.baseUrl}/admin/#${route}` */
  url(route: string): string;
}

export function consoleSuite(name: string, body: (ui: ConsoleUi) => void, options: { demo?: boolean } = {}): void {
  const consoleErrors: string[] = [];
  let expected: RegExp[] = [];
  const ui = {
    newPage: async (viewport = { width: 1366, height: 800 }) => {
      const context = await ui.browser.newContext({ viewport, acceptDownloads: true });
      // A CSP violation is an error too (Chromium also logs most of them; this catches every one).
      await context.addInitScript({
        content:
          "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline')))",
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      return { context, page };
    },
    signIn: async (page: Page, email = TEST_ADMIN.email, password = TEST_ADMIN.password, landing = 'ICPs') => {
      await page.goto(`${ui.t.baseUrl}/admin/`);
      await page.locator('input[name="username"]').fill(email);
      await page.locator('input[name="password"]').fill(password);
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.getByText(landing).first().waitFor();
    },
    shot: (page: Page, shotName: string) =>
      page.screenshot({ path: path.join(SHOTS, `${shotName}.png`), fullPage: true }),
    expectErrors: (...patterns: RegExp[]) => {
      expected = patterns;
    },
    url: (route: string) => `${ui.t.baseUrl}/admin/#${route}`,
  } as ConsoleUi;

  (available ? describe : describe.skip)(name, () => {
    beforeAll(async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      ui.t = await startTestServer({ demo: options.demo ?? true });
      ui.browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await ui.browser?.close();
      await ui.t?.close();
    });
    afterEach(() => {
      const errors = consoleErrors.splice(0).filter((e) => !expected.some((re) => re.test(e)));
      expected = [];
      expect(errors).toEqual([]);
    });
    body(ui);
  });
}
