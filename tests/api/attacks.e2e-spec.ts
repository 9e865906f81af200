import request from 'supertest';
import { startTestServer, TestServer } from '../helpers/server';

// A production server (NODE_ENV=production): each hostile request is refused
// with a clear error, and none of them reaches the database.
let t: TestServer;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await startTestServer({ production: true });
  auth = { authorization: `Bearer ${t.token()}` };
  // Warm the caches so that a refused request would show any query it made.
  await t.ok(`query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`, { a: { attributes: {} } });
});
afterAll(() => t.close());

async function refusedWithoutQuery(send: () => Promise<request.Response>): Promise<request.Response> {
  const before = t.queries();
  const res = await send();
  expect(t.queries() - before).toBe(0);
  return res;
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  request(t.baseUrl).post('/graphql').set({ 'content-type': 'application/json', ...auth, ...headers }).send(body as object);

describe('attack suite', () => {
  it('introspection is off', async () => {
    const res = await refusedWithoutQuery(() => post({ query: '{ __schema { types { name } } }' }));
    expect(res.body.errors[0].message).toMatch(/introspection is not allowed/i);
  });

  it('a misspelt field gets no "did you mean" hint', async () => {
    const res = await refusedWithoutQuery(() => post({ query: '{ icps { slugg } }' }));
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).not.toMatch(/did you mean/i);
  });

  it('an error PostgreSQL raises reaches the client without SQL or stack', async () => {
    // A NUL byte makes PostgreSQL itself fail the query: the client's input, so BAD_USER_INPUT (any
    // other database error is masked as INTERNAL_SERVER_ERROR: api/src/graphql/errors.spec.ts).
    const res = await post({ query: '{ icps(filter: { slug: "a\\u0000b" }) { slug } }' });
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringContaining('U+0000'), path: ['icps'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|invalid byte|stack|at /);
  });

  it('a mutation over GET is refused', async () => {
    const res = await refusedWithoutQuery(() =>
      request(t.baseUrl).get('/graphql').query({ query: 'mutation { publishIcp(icp: "itsm", changelog: "x") { version } }' }).set({ ...auth, 'apollo-require-preflight': 'true' }),
    );
    expect(res.status).toBe(405);
    expect(JSON.stringify(res.body)).toMatch(/GET.*mutation|mutation.*GET/i);
  });

  it('a text/plain POST (a cross-site form) is refused', async () => {
    const res = await refusedWithoutQuery(() => request(t.baseUrl).post('/graphql').set({ 'content-type': 'text/plain', ...auth }).send('{"query":"{ icps { slug } }"}'));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/CSRF|preflight/i);
  });

  it('a batched array of operations is refused', async () => {
    const res = await refusedWithoutQuery(() => post([{ query: '{ icps { slug } }' }, { query: '{ icps { slug } }' }]));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body ?? res.text) + res.text).toMatch(/batch/i);
  });

  it('a query deeper than the limit is refused', async () => {
    const levels = 7;
    const deep = `{ icps { ${'tiers { icp { '.repeat(levels)}slug${' } }'.repeat(levels)} } }`;
    const res = await refusedWithoutQuery(() => post({ query: deep }));
    expect(res.body.errors[0].message).toMatch(/levels deep; at most 12 are allowed/);
  });

  it('more aliases than the limit are refused', async () => {
    const many = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: icpCount`).join(' ')} }`;
    const res = await refusedWithoutQuery(() => post({ query: many }));
    expect(res.body.errors[0].message).toBe('The query uses 40 aliases; at most 30 are allowed');
  });

  it('an oversized fitScores list is refused before it is read', async () => {
    const accounts = Array.from({ length: 10_001 }, () => ({ attributes: {} }));
    const res = await refusedWithoutQuery(() => post({ query: 'query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { score } }', variables: { as: accounts } }));
    expect(res.body.errors[0].message).toBe('accounts: at most 10000 accounts per call (got 10001); split the list into several calls');
  });

  it('an anonymous request gets nothing but a clear instruction', async () => {
    const res = await refusedWithoutQuery(() => request(t.baseUrl).post('/graphql').set('content-type', 'application/json').send({ query: '{ icps { slug } }' }));
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.errors[0].message).toContain('Sign in');
  });
});
