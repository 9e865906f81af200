import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as passwords from '../../api/src/auth/passwords';

v8.setFlagsFromString('--expose-gc');
import { startTestServer, type TestServer } from '../helpers/server';

// Issue 12, finding 4 (and the cookie part of 7): sign-in raced, flooded, used as a lock-out lever;
// the console's session in a cookie that cross-site requests cannot use.
let t: TestServer;
const PASSWORD = 'a long enough password';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresIn } }';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** A raw HTTP request from a chosen loopback address (every 127.x.y.z is this machine), so tests can be "other addresses". */
function send(opts: {
  from?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Reply> {
  const url = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/graphql',
        localAddress: opts.from ?? '127.0.0.1',
        headers: opts.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Reply['body'];
          try {
            body = JSON.parse(text);
          } catch {
            body = { errors: [{ message: text }] };
          }
          resolve({ status: res.statusCode!, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const gqlFrom = (
  from: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  send({
    from,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
const login = (email: string, password: string, from = '127.0.0.1', headers: Record<string, string> = {}) =>
  gqlFrom(from, LOGIN, { e: email, p: password }, headers);
const code = (r: Reply) => r.body.errors?.[0]?.extensions?.code;

async function createUser(email: string, role = 'AUDITOR'): Promise<void> {
  // People join by invitation: the admin invites, the person accepts and so creates their account.
  const { inviteUser } = await t.ok(`mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token } }`, {
    i: { email, role },
  });
  await t.ok(
    `mutation($t: String!, $p: String) { acceptInvitation(token: $t, password: $p) { role } }`,
    { t: inviteUser.token, p: PASSWORD },
    { anonymous: 'true' },
  );
}

/** The number of scrypt password checks the server has run (the server runs in this process). */
const checks = (): number => (passwords as unknown as { passwordChecks?: () => number }).passwordChecks?.() ?? NaN;

beforeAll(async () => {
  t = await startTestServer({ demo: false });
});
afterAll(() => t.close());

describe('sign-in cannot be raced', () => {
  it('of 10 concurrent attempts (9 wrong, 1 right) at most the limit reach the password check', async () => {
    await createUser('race@example.test');
    const before = checks();
    const attempts = [...Array(9).fill('wrong password!!'), PASSWORD].map((p) =>
      login('race@example.test', p, '127.0.2.1'),
    );
    const replies = await Promise.all(attempts);
    const checked = replies.filter((r) => code(r) !== 'TOO_MANY_REQUESTS');
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checks() - before).toBeLessThanOrEqual(5);
    const refused = replies.find((r) => code(r) === 'TOO_MANY_REQUESTS')!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('sign-in cannot be flooded', () => {
  it('refuses a 1 MB email before anything is stored, hashed or kept in memory', async () => {
    const gc = vm.runInNewContext('gc') as () => void;
    const huge = (i: number) => `${i}${'x'.repeat(1024 * 1024)}@example.test`;
    const first = await login(huge(0), 'whatever password');
    expect(first.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(first.body.errors?.[0].message).toMatch(/email/);
    const longPassword = await login('race@example.test', 'p'.repeat(1025));
    expect(longPassword.body.errors?.[0].message).toMatch(/password/);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 1; i <= 100; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, j) => login(huge(i + j), 'whatever password', `127.0.3.${j + 1}`)),
      );
    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(20 * 1024 * 1024);
    const [{ n }] = await t.sql(
      `SELECT count(*)::int AS n FROM revision WHERE entity_type = 'SignIn' AND length(after->>'email') > 254`,
    );
    expect(n).toBe(0);
  });

  it('60 concurrent sign-ins do not make a signed-in user’s request fail', async () => {
    await createUser('crowd@example.test');
    const crowd = Array.from({ length: 60 }, (_, i) => login('crowd@example.test', PASSWORD, `127.0.4.${i + 1}`));
    // Meanwhile a signed-in user works: each of these requests needs a pooled connection.
    const work: Promise<any>[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      work.push(t.gql('{ appUsers { id } }'));
    }
    const [logins, results] = await Promise.all([Promise.all(crowd), Promise.all(work)]);
    for (const r of results) expect(r.errors).toBeUndefined();
    // Sign-ins beyond what the server takes at once are refused quickly, never with a pool time-out.
    for (const r of logins) {
      if (r.body.errors) expect(r.body.errors[0].message).not.toMatch(/database/i);
    }
    expect(logins.some((r) => r.body.data?.login?.token)).toBe(true);
  });
});

describe('lock-out is per account and address', () => {
  it('a stranger at another address cannot lock the user out', async () => {
    await createUser('target@example.test');
    for (let i = 0; i < 12; i++) await login('target@example.test', 'a wrong guess!!', '127.0.5.1');
    const stranger = await login('target@example.test', PASSWORD, '127.0.5.1');
    expect(code(stranger)).toBe('TOO_MANY_REQUESTS');
    const user = await login('target@example.test', PASSWORD, '127.0.5.2');
    expect(user.body.errors).toBeUndefined();
    expect(user.body.data.login.token).toEqual(expect.any(String));
  });
});

describe('the address a limit counts', () => {
  it('a forged X-Forwarded-For does not escape the lock-out when no proxy is trusted (TRUST_PROXY_HOPS=0)', async () => {
    await createUser('forged@example.test');
    for (let i = 0; i < 12; i++)
      await login('forged@example.test', 'a wrong guess!!', '127.0.7.1', { 'x-forwarded-for': `198.51.100.${i + 1}` });
    const next = await login('forged@example.test', PASSWORD, '127.0.7.1', { 'x-forwarded-for': '198.51.100.200' });
    expect(code(next)).toBe('TOO_MANY_REQUESTS');
  });

  it('behind a trusted proxy, clients are told apart by the address the proxy saw', async () => {
    const proxied = await startTestServer({ demo: false, config: { trustProxyHops: 1 } });
    try {
      const { inviteUser } = await proxied.ok(
        `mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token } }`,
        {
          i: { email: 'behind@example.test', role: 'AUDITOR' },
        },
      );
      await proxied.ok(
        `mutation($t: String!, $p: String) { acceptInvitation(token: $t, password: $p) { role } }`,
        { t: inviteUser.token, p: PASSWORD },
        { anonymous: 'true' },
      );
      const via = (xff: string, password: string) =>
        proxied.gql(LOGIN, { e: 'behind@example.test', p: password }, { anonymous: 'true', 'x-forwarded-for': xff });
      // Everyone arrives from the proxy's one address (127.0.0.1): a guesser behind it is locked out, the user is not.
      for (let i = 0; i < 12; i++) await via('198.51.100.66', 'a wrong guess!!');
      expect((await via('198.51.100.66', PASSWORD)).errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect((await via('198.51.100.77', PASSWORD)).data?.login.token).toEqual(expect.any(String));
    } finally {
      await proxied.close();
    }
  });
});

describe('the console session is an HttpOnly cookie that cross-site requests cannot use', () => {
  const cookieOf = (r: Reply) => (r.headers['set-cookie'] ?? []).find((c) => c.startsWith('icp_session='));

  it('sets icp_session with HttpOnly, SameSite=Strict, Path=/ and Max-Age; Secure except on localhost over http', async () => {
    await createUser('cookie@example.test');
    const local = cookieOf(await login('cookie@example.test', PASSWORD, '127.0.6.1'));
    expect(local).toBeDefined();
    const attrs = local!.split(';').map((s) => s.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=3600']));
    expect(attrs).not.toContain('secure');
    const remote = cookieOf(await login('cookie@example.test', PASSWORD, '127.0.6.1', { host: 'icp.example.com' }));
    expect(remote!.split(';').map((s) => s.trim().toLowerCase())).toContain('secure');
    const proxied = cookieOf(
      await login('cookie@example.test', PASSWORD, '127.0.6.1', { 'x-forwarded-proto': 'https' }),
    );
    expect(proxied!.split(';').map((s) => s.trim().toLowerCase())).toContain('secure');
  });

  it('authenticates with the cookie alone, and logout clears it', async () => {
    const cookie = cookieOf(await login('cookie@example.test', PASSWORD, '127.0.6.2'))!.split(';')[0];
    const me = await gqlFrom('127.0.6.2', '{ me { label } }', {}, { cookie });
    expect(me.body.data?.me.label).toBe('cookie@example.test');
    const out = await gqlFrom('127.0.6.2', 'mutation { logout }', {}, { cookie });
    expect(out.body.data?.logout).toBe(true);
    expect(cookieOf(out)).toMatch(/Max-Age=0/i);
  });

  it('refuses cross-site requests that carry the cookie: a text/plain POST and a GET without preflight', async () => {
    const cookie = cookieOf(await login('cookie@example.test', PASSWORD, '127.0.6.3'))!.split(';')[0];
    const textPlain = await send({
      from: '127.0.6.3',
      headers: { 'content-type': 'text/plain', cookie },
      body: JSON.stringify({ query: 'mutation { createApiKey(input: { name: "csrf", role: ADMIN }) { key } }' }),
    });
    expect(textPlain.status).toBe(400);
    expect(textPlain.body.data).toBeUndefined();
    const get = await send({
      from: '127.0.6.3',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ me { label } }')}`,
      headers: { cookie },
    });
    expect(get.status).toBe(400);
    expect(get.body.data).toBeUndefined();
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM api_key WHERE name = 'csrf'`);
    expect(n).toBe(0);
  });
});
