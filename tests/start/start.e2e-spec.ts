import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startProcess, waitFor200 } from '../helpers/process';

// The product as a user starts it: no DATABASE_URL, so an embedded PostgreSQL
// in DATA_DIR, migrations, demo data, then SIGTERM and a second start on the
// same data. (Start-up times are measured by `npm run bench`, not here.)
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-start-'));
  fs.chmodSync(dataDir, 0o755);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function post(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<any> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

let password: string | undefined;

it('starts on an embedded PostgreSQL with the demo data, stops cleanly on SIGTERM, and starts again on the same data', async () => {
  for (const run of ['first', 'second']) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // No HISTORY_SIGNING_KEY: the embedded default keeps one in DATA_DIR.
    const proc = startProcess({ PORT: String(port), DATA_DIR: dataDir, HISTORY_SIGNING_KEY: '' });
    try {
      await waitFor200(`${base}/readyz`, 60_000, proc);
      // The first start prints the first admin's generated password, once; nothing else knows it.
      const printed = /Password \(shown only now\): (\S+)/.exec(proc.output());
      if (run === 'first') password = printed?.[1];
      else expect(printed).toBeNull();
      expect(password).toMatch(/^\S{20,}$/);
      expect(
        proc
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .some((l) => l.includes(password!)),
      ).toBe(false);
      const anonymous = await post(base, '{ icps { slug } }');
      expect(anonymous.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const token = (
        await post(base, 'mutation($p: String!) { login(email: "admin@icp.local", password: $p) { token } }', {
          p: password,
        })
      ).data.login.token;
      const list: { slug: string; tiers: unknown[] }[] = (
        await post(base, '{ icps { slug tiers { name rank } } }', {}, token)
      ).data.icps;
      expect(list.map((i) => i.slug).sort()).toEqual(['driftsentry', 'itsm', 'make-enterprise', 'ml-inference']);
      expect(list.every((i) => i.tiers.length >= 2)).toBe(true);
      // The second start signs and verifies with the key the first one kept: the first start's entries hold.
      const verified = (await post(base, '{ verifyHistory { valid checked problem } }', {}, token)).data.verifyHistory;
      expect(verified).toMatchObject({ valid: true, problem: null });
      expect(verified.checked).toBeGreaterThan(10);
      expect(fs.statSync(path.join(dataDir, 'history-signing-key')).mode & 0o777).toBe(0o600);
      const log = proc.output();
      expect(log.includes('"demo data loaded"')).toBe(run === 'first');
      // Logs are JSON lines; none carries the database password.
      expect(log).not.toContain(':embedded@');
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
  }
  expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
}, 180_000);

it('refuses a bad configuration value, naming the variable', async () => {
  const proc = startProcess({ PORT: 'eighty', DATA_DIR: dataDir });
  expect(await proc.exited).toBe(2);
  expect(proc.output()).toContain('PORT must be a whole number, got "eighty"');
});

it('refuses a production start without AUTH_SECRET, saying why, before touching the database', async () => {
  // The database URL is never reached: the configuration is refused first.
  const proc = startProcess({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://icp:icp@127.0.0.1:1/icp',
    DATA_DIR: dataDir,
  });
  expect(await proc.exited).toBe(2);
  expect(proc.output()).toContain('Configuration error: AUTH_SECRET is required when NODE_ENV=production');
});

it('refuses a production start without HISTORY_SIGNING_KEY, saying why, before touching the database', async () => {
  const proc = startProcess({
    NODE_ENV: 'production',
    AUTH_SECRET: 'x'.repeat(32),
    HISTORY_SIGNING_KEY: '',
    DATABASE_URL: 'postgres://icp:icp@127.0.0.1:1/icp',
    DATA_DIR: dataDir,
  });
  expect(await proc.exited).toBe(2);
  expect(proc.output()).toContain('Configuration error: HISTORY_SIGNING_KEY is required when NODE_ENV=production');
});
