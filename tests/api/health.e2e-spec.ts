import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ demo: false });
});
afterAll(() => t.close());

describe('health and plumbing', () => {
  it('answers /healthz and /readyz', async () => {
    await request(t.baseUrl).get('/healthz').expect(200, { status: 'ok' });
    await request(t.baseUrl).get('/readyz').expect(200, { status: 'ready' });
  });

  it('gives every response a request id, and keeps a sane one sent by the caller', async () => {
    const fresh = await request(t.baseUrl).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(t.baseUrl).get('/healthz').set('x-request-id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
  });

  it('serves the console at /admin (built by the test set-up, as npm start builds it)', async () => {
    const res = await request(t.baseUrl).get('/admin/').expect(200);
    expect(res.text).toContain('<title>ICP Registry</title>');
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(res.text)![1];
    await request(t.baseUrl)
      .get(script)
      .expect(200)
      .expect('content-type', /javascript/);
  });

  it('reports a GraphQL syntax error with its location', async () => {
    const res = await t.gql('{ workspaces { id ');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0].message).toMatch(/Syntax Error/);
  });

  it('names a misspelt field', async () => {
    const res = await t.gql('{ workspaces { slugg } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toContain('slugg');
  });

  it('refuses a workspace the user does not belong to, clearly', async () => {
    const res = await t.gql('{ icps { slug } }', {}, { 'x-workspace': 'nope' });
    expect(res.errors?.[0]).toMatchObject({
      message: 'You are not a member of workspace "nope"',
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
