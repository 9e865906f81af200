import { authoringFlow } from '../tests/helpers/authoring-flow';
import { launchChromium } from '../tests/helpers/chromium';
import { BENCH_ADMIN, benchDatabase, benchServer, fmt } from './harness';

// Lighthouse's "Slow 4G" (mobile) throttling: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1638.4 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

/** The console's first load in Chromium, cold (empty cache), against the local API; `network` throttles it. */
export async function consoleBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_console');
  const { server, url } = await benchServer(db.ds);
  const browser = await launchChromium();
  try {
    const runs: { form: number; list: number; bytes: number; wire: number; after: number }[] = [];
    const slow: { form: number; list: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const throttled = i >= 5;
      const context = await browser.newContext();
      const page = await context.newPage();
      if (throttled) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      }
      // Bytes of the console's files: as sent (compressed) and as decoded, before sign-in and after.
      let bytes = 0;
      let wire = 0;
      let after = 0;
      let signedIn = false;
      const pending: Promise<void>[] = [];
      page.on('requestfinished', (req) => {
        if (!req.url().includes('/admin/')) return;
        pending.push(
          (async () => {
            const sizes = await req.sizes();
            const body = (await (await req.response())?.body().catch(() => Buffer.alloc(0)))?.length ?? 0;
            if (signedIn) after += sizes.responseBodySize;
            else {
              wire += sizes.responseBodySize;
              bytes += body;
            }
          })(),
        );
      });
      const t0 = Date.now();
      await page.goto(`${url}/admin/`);
      await page.locator('input[name="username"]').waitFor();
      const form = Date.now() - t0;
      await page.locator('input[name="username"]').fill(BENCH_ADMIN.email);
      await page.locator('input[name="password"]').fill(BENCH_ADMIN.password);
      await Promise.all(pending.splice(0));
      signedIn = true;
      const t1 = Date.now();
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.getByText('ml-inference').waitFor();
      const list = Date.now() - t1;
      await Promise.all(pending.splice(0));
      if (throttled) slow.push({ form, list });
      else runs.push({ form, list, bytes, wire, after });
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const spread = (ms: number[]) =>
      `${fmt(median(ms) / 1000)} s (${fmt(Math.min(...ms) / 1000)} – ${fmt(Math.max(...ms) / 1000)})`;
    // Issue 16's authoring scenario, the flow the Chromium test asserts (tests/e2e/authoring.e2e-spec.ts).
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const flow = await authoringFlow(await context.newPage(), `${url}/admin/`, BENCH_ADMIN);
    await context.close();
    return [
      '## Console first load (issue 6)',
      '',
      "Debian Chromium (headless), a new browser context each run (empty cache), the API and its database on this machine; 5 runs each, median (fastest – slowest). Slow 4G is Lighthouse's mobile throttling applied by Chromium (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up).",
      '',
      '| step | network | median (range) | target |',
      '|---|---|---|---|',
      `| open /admin until the sign-in form shows (cold) | this machine | ${spread(runs.map((r) => r.form))} | < 1 s |`,
      `| sign in until the ICP list shows | this machine | ${spread(runs.map((r) => r.list))} | |`,
      `| open /admin until the sign-in form shows (cold) | slow 4G | ${spread(slow.map((r) => r.form))} | < 3 s |`,
      `| sign in until the ICP list shows | slow 4G | ${spread(slow.map((r) => r.list))} | |`,
      '',
      `The sign-in page loads ${fmt(median(runs.map((r) => r.wire)) / 1024, 0)} KiB of the console's files as sent (Brotli), ${fmt(median(runs.map((r) => r.bytes)) / 1024, 0)} KiB decoded: the app shell, the framework and MUI. The record pages come after sign-in (${fmt(median(runs.map((r) => r.after)) / 1024, 0)} KiB as sent); the history page, the condition builder and each scoring page load when first opened.`,
      '',
      '### Authoring an ICP in the console (issue 16)',
      '',
      'Sign in, create an ICP with 3 tiers, 2 personas, a dimension with 2 rules and 3 action bands (the creation wizard), add 2 disqualifiers on its page, publish it and score an account in the playground: `tests/helpers/authoring-flow.ts`, the flow the Chromium test `tests/e2e/authoring.e2e-spec.ts` asserts. Before: 19 screens and ~100 clicks, and no way to create an ICP but a YAML import.',
      '',
      '| measure | this run | target |',
      '|---|---|---|',
      `| screens (distinct routes shown) | ${flow.screens.length} | ≤ 6 |`,
      `| clicks | ${flow.clicks} | ≤ 45 |`,
      `| fields filled | ${flow.fields} | |`,
      `| time, typing at machine speed | ${fmt(flow.ms / 1000)} s | |`,
      '',
      `Screens: ${flow.screens.map((r) => `\`${r.replace(/[0-9a-f-]{36}/, ':id')}\``).join(', ')}. The account scored as ${flow.tier}.`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.stop();
    await db.stop();
  }
}
