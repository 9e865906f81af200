import { Writable } from 'node:stream';
import { createLogger } from '../../api/src/logger';
import { type GqlResult, startTestServer, type TestServer } from '../helpers/server';
import { scrape } from '../helpers/metrics';

/** Prometheus metrics at /metrics, and the request log line, against the real server over HTTP. */
const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ log: createLogger('info', sink) });
});
afterAll(() => t.close());

const SCORE = `query Score($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`;
const SCORE_UNKNOWN = `query ScoreUnknown($a: AccountInput!) { fitScore(icp: "no-such-icp", account: $a) { score } }`;
const account = { key: 'acme', attributes: {} };

/** The log line of the request that answered with this x-request-id. */
async function logLineOf(requestId: string) {
  for (let i = 0; i < 50; i++) {
    const line = lines.find((l) => l.msg === 'request' && l.reqId === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request line for ${requestId} in:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
}

describe('/metrics', () => {
  it('counts requests by operation and error code, times them, and counts accounts scored and cache look-ups', async () => {
    const before = await scrape(t.baseUrl);
    expect((await t.gql(SCORE, { a: account })).errors).toBeUndefined();
    const failed = await t.gql(SCORE_UNKNOWN, { a: account });
    expect(failed.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await t.gql('{ nope }'); // an anonymous operation the schema refuses
    const after = await scrape(t.baseUrl);

    const moved = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);
    expect(after.family('icp_graphql_requests_total').type).toBe('COUNTER');
    expect(moved('icp_graphql_requests_total', { operation: 'Score', code: 'OK' })).toBe(1);
    expect(moved('icp_graphql_requests_total', { operation: 'ScoreUnknown', code: 'NOT_FOUND' })).toBe(1);
    expect(moved('icp_graphql_requests_total', { operation: 'anonymous', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(after.family('icp_graphql_request_duration_seconds').type).toBe('HISTOGRAM');
    expect(moved('icp_graphql_request_duration_seconds_count', { operation: 'Score' })).toBe(1);
    expect(moved('icp_accounts_scored_total')).toBe(1);
    // The first score missed the compiled-model cache (or hit it, if another test warmed it): either way it looked.
    expect(
      moved('icp_cache_lookups_total', { cache: 'model', result: 'hit' }) +
        moved('icp_cache_lookups_total', { cache: 'model', result: 'miss' }),
    ).toBe(1);
    expect(moved('icp_cache_lookups_total', { cache: 'principal', result: 'hit' })).toBeGreaterThanOrEqual(2);
    // The pool has served the requests; its connections are reported when scraped.
    expect(after.value('icp_db_pool_connections')).toBeGreaterThan(0);
    expect(after.value('icp_db_pool_waiting_requests')).toBe(0);
    expect(after.family('icp_webhook_deliveries_total').type).toBe('COUNTER');
    expect(after.family('process_cpu_user_seconds_total').type).toBe('COUNTER');
  });

  it('lets only an authenticated caller whose operation resolved add an operation label: others count under fixed ones', async () => {
    const before = await scrape(t.baseUrl);
    // Without credentials, a flood of new names (which would fill the label slots): none gets a series of its own.
    for (let i = 0; i < 5; i++) await t.gql(`query AnonFlood${i} { __typename }`, {}, { anonymous: 'true' });
    // Authenticated, but the operation does not resolve (the schema refuses it): no series of its own either.
    const broken = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token()}` },
      body: JSON.stringify({ query: 'query BrokenFlood { nope }', operationName: 'BrokenFlood' }),
    });
    expect(((await broken.json()) as GqlResult).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Authenticated and resolved: its own series; the same name sent anonymously later counts there too.
    await t.gql('query RealOperation { __typename }');
    await t.gql('query RealOperation { __typename }', {}, { anonymous: 'true' });
    const after = await scrape(t.baseUrl);
    const moved = (labels: Record<string, string>) =>
      after.value('icp_graphql_requests_total', labels) - before.value('icp_graphql_requests_total', labels);
    const labels = new Set(after.family('icp_graphql_requests_total').metrics.map((m) => m.labels?.operation));
    expect([...labels].filter((l) => /AnonFlood|BrokenFlood/.test(String(l)))).toEqual([]);
    expect(moved({ operation: 'unauthenticated', code: 'OK' })).toBe(5);
    expect(moved({ operation: 'unresolved', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved({ operation: 'RealOperation', code: 'OK' })).toBe(2);
  });

  it("caps each principal's share of the operation names: one API key cannot take every slot", async () => {
    const { createApiKey } = await t.ok('mutation { createApiKey(input: { name: "flood", role: CLIENT }) { key } }');
    const key = { authorization: `Bearer ${createApiKey.key as string}` };
    for (let i = 0; i < 60; i++) await t.gql(`query KeyFlood${i} { __typename }`, {}, key);
    // Another principal (the admin) still gets a series for a new name.
    await t.gql('query AfterTheFlood { __typename }');
    const s = await scrape(t.baseUrl);
    const labels = s.family('icp_graphql_requests_total').metrics.map((m) => String(m.labels?.operation));
    expect(labels.filter((l) => l.startsWith('KeyFlood'))).toHaveLength(50);
    expect(labels).toContain('AfterTheFlood');
  });

  it('caps the operation names it keeps apart: client-chosen names cannot grow the series without end', async () => {
    const names = Array.from({ length: 210 }, (_, i) => `Flood${i}`);
    for (const n of names) await t.gql(`query ${n} { __typename }`);
    const s = await scrape(t.baseUrl);
    const operations = new Set(s.family('icp_graphql_requests_total').metrics.map((m) => m.labels?.operation));
    // 200 names and the fixed labels: "other", "anonymous", "unauthenticated", "unresolved".
    expect(operations.size).toBeLessThanOrEqual(204);
    expect(s.value('icp_graphql_requests_total', { operation: 'other', code: 'OK' })).toBeGreaterThan(0);
  });
});

describe('who may read /metrics', () => {
  const TOKEN = 'metrics-token-that-is-long-enough-0123456789';

  it('in production without METRICS_TOKEN: not served', async () => {
    const p = await startTestServer({ production: true, demo: false });
    try {
      const res = await fetch(`${p.baseUrl}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: expect.stringContaining('METRICS_TOKEN') });
    } finally {
      await p.close();
    }
  });

  it('with METRICS_TOKEN: only with Authorization: Bearer <token>', async () => {
    const p = await startTestServer({ production: true, demo: false, config: { metricsToken: TOKEN } });
    try {
      expect((await fetch(`${p.baseUrl}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${p.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
      const s = await scrape(p.baseUrl, { authorization: `Bearer ${TOKEN}` });
      expect(s.family('icp_graphql_requests_total').type).toBe('COUNTER');
    } finally {
      await p.close();
    }
  });
});

describe('the request log line', () => {
  it('names the operation, the principal, the workspace and the error codes of a failed fitScore', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${t.token()}`,
        'x-request-id': 'log-failed-1',
      },
      body: JSON.stringify({ query: SCORE_UNKNOWN, variables: { a: account } }),
    });
    expect(res.status).toBe(200);
    const line = await logLineOf('log-failed-1');
    const { me } = await t.ok('{ me { id: principalId kind workspaceId } }');
    expect(line).toMatchObject({
      url: '/graphql',
      status: 200,
      operation: 'ScoreUnknown',
      principal: { id: me.id, kind: me.kind },
      workspace: me.workspaceId,
      errors: ['NOT_FOUND'],
    });
    expect(line.ms).toEqual(expect.any(Number));
  });

  it('says OK by an empty error list, and anonymous requests have no principal', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'log-anon-1' },
      body: JSON.stringify({ query: 'query Ping { __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(await logLineOf('log-anon-1')).toMatchObject({
      operation: 'Ping',
      principal: null,
      workspace: null,
      errors: [],
    });
  });

  it('a request refused before GraphQL (bad JSON) is logged and counted with the code the client got', async () => {
    const before = await scrape(t.baseUrl);
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'log-badjson-1' },
      body: '{ not json',
    });
    expect(res.status).toBe(400);
    expect(await logLineOf('log-badjson-1')).toMatchObject({ status: 400, operation: null, errors: [] });
    const after = await scrape(t.baseUrl);
    const key = { operation: 'anonymous', code: 'BAD_REQUEST' };
    expect(after.value('icp_graphql_requests_total', key) - before.value('icp_graphql_requests_total', key)).toBe(1);
  });
});
