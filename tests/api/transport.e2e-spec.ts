import { createHash } from 'node:crypto';
import { login, siblingServer, startTestServer, type TestServer } from '../helpers/server';
import { newIcp, newWorkspace } from '../helpers/operations';
import { TEST_ADMIN } from '../helpers/db';

/** HTTP on /graphql as browsers and client libraries send it: GET, CORS, APQ, caching. */

let t: TestServer;
let key: string;
let itsmId: string;
beforeAll(async () => {
  t = await startTestServer();
  key = (await t.ok(`mutation { createApiKey(input: { name: "transport", role: CLIENT }) { key } }`)).createApiKey.key;
  itsmId = (await t.ok(`{ icpBySlug(idOrSlug: "itsm") { id } }`)).icpBySlug.id;
});
afterAll(() => t.close());

const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
const json = (res: Response): Promise<any> => res.json();

/** A GET /graphql with the operation in the query string, as urql and Apollo Client's GET links send it. */
function get(params: Record<string, unknown>, headers: Record<string, string> = {}, base = t.baseUrl) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) search.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return fetch(`${base}/graphql?${search}`, { headers: { accept: 'application/graphql-response+json', ...headers } });
}

describe('GET queries and CSRF prevention', () => {
  it('a GET with an API key needs no preflight header (Authorization cannot be sent by a cross-site form)', async () => {
    const res = await get({ query: '{ icpVersions(icp: "itsm") { version } }' }, bearer(key));
    expect(res.status).toBe(200);
    expect((await json(res)).data.icpVersions[0].version).toBe(1);
  });

  it('a GET with only the session cookie is still refused as CSRF, and accepted with the preflight header', async () => {
    const signIn = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        variables: { e: TEST_ADMIN.email, p: TEST_ADMIN.password },
      }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('icp_session='))!
      .split(';')[0];
    const simple = await get({ query: '{ me { label } }' }, { cookie });
    expect(simple.status).toBe(400);
    const body = await simple.text();
    expect(body).toMatch(/Cross-Site Request Forgery/);
    expect(body).not.toContain('admin@example.test');
    const preflighted = await get({ query: '{ me { label } }' }, { cookie, 'apollo-require-preflight': 'true' });
    expect((await json(preflighted)).data.me.label).toBe(TEST_ADMIN.email);
  });

  it('an Authorization header that is not a bearer credential does not open the cookie session', async () => {
    const res = await get({ query: '{ me { label } }' }, { authorization: 'Basic YTpi' });
    expect((await json(res)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('automatic persisted queries over GET', () => {
  it('a hash unknown at first, registered by a POST, then served by GET', async () => {
    const query = '{ icpVersion(icp: "itsm", version: 1) { version changelog } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const miss = await json(await get({ extensions }, bearer(key)));
    expect(miss.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const post = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query, extensions }),
    });
    expect((await json(post)).data.icpVersion.version).toBe(1);
    const hit = await get({ extensions }, bearer(key));
    expect(hit.status).toBe(200);
    expect((await json(hit)).data.icpVersion).toMatchObject({ version: 1 });
  });
});

describe('HTTP caching of published versions', () => {
  const VERSION = 'query($icp: String!, $v: Int) { icpVersion(icp: $icp, version: $v) { version snapshotHash } }';
  const SCORE =
    'query($icp: String!, $v: Int) { fitScore(icp: $icp, version: $v, account: { key: "a", attributes: { employees: 90, isMsp: true } }) { score tier { name } band { name } } }';

  it('a numbered version by id: private, a year, immutable, a strong ETag of the body; If-None-Match is a 304', async () => {
    const res = await get({ query: VERSION, variables: { icp: itsmId, v: 1 } }, bearer(key));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const etag = res.headers.get('etag')!;
    expect(etag).toBe(`"${createHash('sha256').update(body).digest('base64url')}"`);
    expect(res.headers.get('vary')?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'cookie', 'x-workspace']),
    );
    const again = await get(
      { query: VERSION, variables: { icp: itsmId, v: 1 } },
      { ...bearer(key), 'if-none-match': etag },
    );
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const other = await get(
      { query: VERSION, variables: { icp: itsmId, v: 1 } },
      { ...bearer(key), 'if-none-match': '"something-else"' },
    );
    expect(other.status).toBe(200);
  });

  it('a fitScore of a numbered version by id is immutable too', async () => {
    const res = await get({ query: SCORE, variables: { icp: itsmId, v: 1 } }, bearer(key));
    expect((await json(res)).data.fitScore.score).toEqual(expect.any(Number));
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{43}"$/);
  });

  it('by slug (a slug can be given to another ICP): revalidated every time, with the ETag', async () => {
    const res = await get({ query: VERSION, variables: { icp: 'itsm', v: 1 } }, bearer(key));
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const etag = res.headers.get('etag')!;
    const again = await get(
      { query: VERSION, variables: { icp: 'itsm', v: 1 } },
      { ...bearer(key), 'if-none-match': etag },
    );
    expect(again.status).toBe(304);
  });

  it.each([
    ['the latest version (no number)', VERSION, { icp: itsmId }],
    [
      'a field read from the live ICP (icpSlug)',
      SCORE.replace('score tier', 'score icpSlug tier'),
      { icp: itsmId, v: 1 },
    ],
    [
      'a draft type under the score (personas)',
      SCORE.replace('score tier', 'score personas { name } tier'),
      { icp: itsmId, v: 1 },
    ],
    ['another root field beside it', VERSION.replace('} }', '} icpCount }'), { icp: itsmId, v: 1 }],
    ['an error', VERSION, { icp: itsmId, v: 99 }],
  ])('%s: no-store, no ETag', async (_what, query, variables) => {
    const res = await get({ query, variables }, bearer(key));
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
  });

  it('a POST is never cached', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query: VERSION, variables: { icp: itsmId, v: 1 } }),
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
  });

  it("another workspace's version 1 of an ICP with the same slug is another body, another ETag", async () => {
    const ws = await newWorkspace(t, 'transport-other');
    const icp = await newIcp(t, ws.headers, 'itsm');
    await t.ok(`mutation($i: String!) { publishIcp(icp: $i, changelog: "first") { version } }`, { i: icp }, ws.headers);
    const as = { ...bearer(t.token()), ...ws.headers };
    const mine = await get({ query: VERSION, variables: { icp: 'itsm', v: 1 } }, bearer(key));
    const theirs = await get({ query: VERSION, variables: { icp: 'itsm', v: 1 } }, as);
    expect(theirs.headers.get('etag')).not.toBe(mine.headers.get('etag'));
    const crossed = await get(
      { query: VERSION, variables: { icp: 'itsm', v: 1 } },
      { ...as, 'if-none-match': mine.headers.get('etag')! },
    );
    expect(crossed.status).toBe(200);
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://app.example.test';
  let cors: Awaited<ReturnType<typeof siblingServer>>;
  beforeAll(async () => {
    cors = await siblingServer(t, {}, { corsOrigins: [ORIGIN] });
  });
  afterAll(() => cors.server.stop());

  const preflight = (url: string, origin: string, headers = 'authorization, content-type') =>
    fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
    });

  it.each(['/graphql', '/v1/history'])('answers a preflight for %s from an allowed origin', async (path) => {
    const res = await preflight(`${cors.url}${path}`, ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name']),
    );
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    // Sessions stay same-site: no cookie crosses origins.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a preflight from another origin, naming it, with no CORS headers', async () => {
    const res = await preflight(`${cors.url}/graphql`, 'https://evil.example.test');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).toContain('https://evil.example.test is not an allowed origin (CORS_ORIGINS)');
  });

  it('a request from an allowed origin gets the origin back, Vary: Origin and the headers it may read', async () => {
    const res = await fetch(`${cors.url}/graphql`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query: '{ icpVersions(icp: "itsm") { version } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('vary')?.toLowerCase().split(/,\s*/)).toContain('origin');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/i);
    const stranger = await fetch(`${cors.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example.test', 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query: '{ icpVersions(icp: "itsm") { version } }' }),
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without CORS_ORIGINS there are no CORS headers at all (as before)', async () => {
    const res = await preflight(`${t.baseUrl}/graphql`, ORIGIN);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query: '{ icpVersions(icp: "itsm") { version } }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the session still works from the console (same origin) while CORS is on', async () => {
    const token = await login(cors.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const res = await get({ query: '{ me { label } }' }, { ...bearer(token) }, cors.url);
    expect((await json(res)).data.me.label).toBe(TEST_ADMIN.email);
  });
});

describe('text in request bodies', () => {
  /** POST /graphql with the body written as is (JSON.stringify leaves non-ASCII characters raw: UTF-8 on the wire). */
  const post = (body: string) =>
    fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body,
    }).then(json);
  const query = 'query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { accountKey } }';

  it('a body in UTF-8 is read as UTF-8 and answered in UTF-8', async () => {
    const accountKey = 'clé-日本-😀-"quoted"\\';
    const raw = JSON.stringify({ query, variables: { a: { key: accountKey, attributes: {} } } });
    expect(Buffer.byteLength(raw)).toBeGreaterThan(raw.length);
    expect((await post(raw)).data.fitScore.accountKey).toBe(accountKey);
  });

  it('a body of ASCII with \\u escapes reads the same', async () => {
    const escaped = `{"query":${JSON.stringify(query)},"variables":{"a":{"key":"cl\\u00e9-\\ud83d\\ude00","attributes":{}}}}`;
    expect((await post(escaped)).data.fitScore.accountKey).toBe('clé-😀');
  });
});
