import { chromium } from 'playwright-core';
import { BENCH_ADMIN, benchDatabase, benchServer, fmt } from './harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The console's first load in Chromium, cold (empty cache), against the local API. */
export async function consoleBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_console');
  const { server, url } = await benchServer(db.ds);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const runs: { form: number; list: number; bytes: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let bytes = 0;
      page.on('response', async (r) => {
        if (r.url().includes('/admin/')) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
      });
      const t0 = Date.now();
      await page.goto(`${url}/admin/`);
      await page.locator('input[name="username"]').waitFor();
      const form = Date.now() - t0;
      await page.locator('input[name="username"]').fill(BENCH_ADMIN.email);
      await page.locator('input[name="password"]').fill(BENCH_ADMIN.password);
      const t1 = Date.now();
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.getByText('ml-inference').waitFor();
      runs.push({ form, list: Date.now() - t1, bytes });
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return [
      '## Console first load (issue 6)',
      '',
      'Debian Chromium (headless), a new browser context each run (empty cache), the API and its database on this machine; 5 runs, median.',
      '',
      '| step | median | target |',
      '|---|---|---|',
      `| open /admin until the sign-in form shows (cold) | ${fmt(median(runs.map((r) => r.form)) / 1000)} s | < 2 s |`,
      `| sign in until the ICP list shows | ${fmt(median(runs.map((r) => r.list)) / 1000)} s | |`,
      '',
      `Console files loaded for the first page: ${fmt(median(runs.map((r) => r.bytes)) / 1024, 0)} KiB (uncompressed), in separate chunks for the app, the framework and MUI.`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.stop();
    await db.stop();
  }
}
