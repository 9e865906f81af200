import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Papa from 'papaparse';
import { Client } from 'pg';
import { authSecret } from '../../api/src/auth/secret';
import { loadJose, signToken } from '../../api/src/auth/tokens';
import { loadConfig } from '../../api/src/config';
import { startEmbeddedPostgres } from '../../api/src/db/embedded';
import { createServer } from '../../api/src/server';
import { openTestDatabase, testLog } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';

// Issue 12, findings 5 (secrets) and 7 (browser and file hardening): each attack as it was reproduced.

function get(
  base: string,
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    // The path exactly as given: a URL object would re-encode a malformed escape.
    http
      .get({ hostname, port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** The session key as it was derived before: anyone who knows (or guesses) DATABASE_URL could compute it. */
function oldDerivedKey(ownerUrl: string): Buffer {
  const u = new URL(ownerUrl);
  return createHash('sha256').update(`icp-auth:${u.username}:${u.password}@${u.hostname}:${u.port}`).digest();
}

describe('session secret with DATABASE_URL and no AUTH_SECRET', () => {
  it('is random, shared through the database by every process, never readable by the app role; a token signed with the old derivation is refused', async () => {
    const { ds, ownerUrl } = await openTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-secret-'));
    try {
      const config = { databaseUrl: ownerUrl, dataDir };
      // Two processes starting at once on one database agree on one key.
      const [a, b] = await Promise.all([authSecret(config, ownerUrl), authSecret(config, ownerUrl)]);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(Buffer.from(await authSecret(config, ownerUrl)).equals(Buffer.from(a))).toBe(true);
      expect(Buffer.from(a).equals(oldDerivedKey(ownerUrl))).toBe(false);
      expect(a.length).toBeGreaterThanOrEqual(32);
      expect(fs.readdirSync(dataDir)).toEqual([]);
      await expect(ds.query('SELECT value FROM instance_secret')).rejects.toThrow(/permission denied/);

      const server = await createServer({ ...loadConfig({ NODE_ENV: 'test' }), port: 0 }, ds, testLog, a);
      await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
        const c = new Client({ connectionString: ownerUrl });
        await c.connect();
        const [admin] = (
          await c.query(`SELECT id, email, session_epoch FROM app_user WHERE email = 'admin@example.test'`)
        ).rows;
        await c.end();
        await loadJose();
        const me = async (key: Uint8Array) => {
          const token = await signToken(key, { sub: admin.id, email: admin.email, sep: admin.session_epoch });
          const res = await fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: '{ icps { slug } }' }),
          });
          return (await res.json()) as any;
        };
        expect((await me(oldDerivedKey(ownerUrl))).errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect((await me(a)).data.icps.length).toBeGreaterThan(0);
      } finally {
        await server.stop();
        await new Promise((r) => server.httpServer.close(r));
      }
    } finally {
      await ds.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('production refuses to start without AUTH_SECRET, saying why', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/icp' })).toThrow(
      /AUTH_SECRET is required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(31) })).toThrow(
      'AUTH_SECRET must be at least 32 characters',
    );
    const key = 'f'.repeat(64);
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), HISTORY_SIGNING_KEY: key }).authSecret,
    ).toBe('x'.repeat(32));
  });
});

describe('embedded PostgreSQL superuser password', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-embedded-'));
    // As root, PostgreSQL runs as a 'postgres' user that must be able to enter this folder.
    fs.chmodSync(d, 0o755);
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const canConnect = async (url: string) => {
    const c = new Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  };

  it('is random per data directory, kept with mode 0600; an old data directory with the fixed word is moved to a random one', async () => {
    const [d1, d2] = [tmp(), tmp()];
    const e1 = await startEmbeddedPostgres(d1, undefined, 'icp');
    const e2 = await startEmbeddedPostgres(d2, undefined, 'icp');
    const p1 = decodeURIComponent(new URL(e1.url).password);
    const p2 = decodeURIComponent(new URL(e2.url).password);
    await e2.stop();
    expect(p1).not.toBe('embedded');
    expect(p1.length).toBeGreaterThanOrEqual(32);
    expect(p1).not.toBe(p2);
    const file = path.join(d1, 'pg-password');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(p1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // A data directory made before this change: the fixed password and no password file.
    const legacy = new URL(e1.url);
    const c = new Client({ connectionString: e1.url });
    await c.connect();
    await c.query(`ALTER ROLE postgres PASSWORD 'embedded'`);
    await c.end();
    await e1.stop();
    fs.rmSync(file);
    const again = await startEmbeddedPostgres(d1, undefined, 'icp');
    try {
      const p3 = decodeURIComponent(new URL(again.url).password);
      expect(p3).not.toBe('embedded');
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(p3);
      expect(await canConnect(again.url)).toBe(true);
      legacy.port = new URL(again.url).port;
      legacy.password = 'embedded';
      expect(await canConnect(legacy.toString())).toBe(false);
    } finally {
      await again.stop();
    }
  }, 120_000);
});

describe('browser hardening headers and malformed paths', () => {
  let t: TestServer;
  let env: string | undefined;
  beforeAll(async () => {
    // Development mode, where Express would print a stack trace with an error page.
    env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    t = await startTestServer();
  });
  afterAll(async () => {
    process.env.NODE_ENV = env;
    await t?.close();
  });

  const expectHardened = (h: http.IncomingHttpHeaders) => {
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
  };

  it('the console page and its assets carry a CSP that allows only its own scripts, and refuse framing', async () => {
    const page = await get(t.baseUrl, '/admin/');
    expect(page.status).toBe(200);
    expectHardened(page.headers);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expectHardened((await get(t.baseUrl, script!)).headers);
    expectHardened((await get(t.baseUrl, '/healthz')).headers);
  });

  it('/graphql answers with the same headers; its landing page (GET, outside production) keeps the CSP Apollo gives it', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token()}` },
      body: JSON.stringify({ query: '{ icps { slug } }' }),
    });
    expect(res.status).toBe(200);
    const h = Object.fromEntries(res.headers);
    expectHardened(h);
    expect(h['content-security-policy']).toContain("default-src 'none'");
    const landing = await get(t.baseUrl, '/graphql', { accept: 'text/html' });
    expect(landing.status).toBe(200);
    expect(landing.headers['content-type']).toMatch(/text\/html/);
    expectHardened(landing.headers);
    // The page's own <meta> CSP (with its nonce) governs its scripts; a header script-src would block them.
    expect(landing.headers['content-security-policy']).not.toMatch(/default-src|script-src/);
    expect(landing.body).toContain('Content-Security-Policy');
  });

  it.each(['/admin/assets/%E0%A4%A', '/admin/%E0%A4%A', '/%E0%A4%A', '/admin/assets/%', '/readyz%zz'])(
    '%s answers 400 with no stack trace in development',
    async (p) => {
      const res = await get(t.baseUrl, p);
      expect(res.status).toBe(400);
      expect(res.body).not.toMatch(/URIError|\bat\s+\S+\s+\(|node_modules/);
      expect(res.body).toMatch(/malformed/i);
      expectHardened(res.headers);
    },
  );
});

describe('CSV formula guard in exportHistory', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('every cell that starts with = + - @ TAB or CR is made inert', async () => {
    const reasons = ['=HYPERLINK("http://x","y")', '\t=1+1', '\r=1+1', '+1+cmd', '-2+3', '@SUM(A1)'];
    for (const [i, reason] of reasons.entries()) {
      await t.ok(`mutation($input: CreateIcpInput!, $r: String) { createIcp(input: $input, reason: $r) { id } }`, {
        input: { slug: `formula-${i}`, name: `Formula ${i}` },
        r: reason,
      });
    }
    const csv: string = (await t.ok(`{ exportHistory(format: CSV, filter: { entityType: Icp, actions: [CREATE] }) }`))
      .exportHistory;
    const rows = Papa.parse<string[]>(csv.replace(/\r\n$/, ''), { newline: '\r\n' }).data;
    const reasonCol = rows[0].indexOf('reason');
    const written = rows.slice(1).map((r) => r[reasonCol]);
    for (const reason of reasons) expect(written).toContain(`'${reason}`);
    const cells = rows.flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[-+]?\d+(\.\d+)?$/.test(c))).toEqual([]);
  });
});
