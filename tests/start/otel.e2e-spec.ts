import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { gql, login, ROOT, type Server, startServer, stopServer } from '../helpers/process';

/**
 * Traces from the real process: an OTLP/HTTP receiver in this test (JSON, as
 * @opentelemetry/exporter-trace-otlp-http sends it) collects what the server
 * exports when OTEL_EXPORTER_OTLP_ENDPOINT points at it.
 */
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
}

const spans: Span[] = [];
const posts: string[] = [];
let receiver: http.Server;
let receiverUrl: string;

function collect(body: any): void {
  for (const rs of body.resourceSpans ?? [])
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        spans.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind,
          scope: ss.scope?.name ?? '',
          attributes: Object.fromEntries(
            (s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]]),
          ),
        });
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.url === '/v1/traces') collect(JSON.parse(text));
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** Our trace's spans from one instrumentation, once there is one. */
const some = (xs: Span[]) => (xs.length ? xs : undefined);

async function until<T>(what: string, find: () => T | undefined, ms = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() - started > ms)
      throw new Error(
        `${what} not received within ${ms} ms; posts: ${posts.join(', ')}; spans:\n${spans.map((s) => `${s.traceId} ${s.scope} ${s.name}`).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('OpenTelemetry traces', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await stopServer(server);
    server = undefined;
  });

  it("continue the caller's traceparent through HTTP, the GraphQL operation and PostgreSQL, exported by OTLP/HTTP", async () => {
    server = await startServer(await createTestDatabase(), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const token = await login(server.url, TEST_ADMIN);
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    // The first score of this process: the ICP and its version come from PostgreSQL, not the cache.
    const r = await gql(
      server.url,
      `query Score($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`,
      { a: { key: 'acme', attributes: {} } },
      token,
      { traceparent: `00-${traceId}-${parentId}-01` },
    );
    expect(r.errors).toBeUndefined();

    const ours = () => spans.filter((s) => s.traceId === traceId);
    const httpSpan = await until('the HTTP server span', () =>
      ours().find((s) => s.scope.includes('instrumentation-http') && s.kind === 2),
    );
    // The caller's span is its parent: the incoming traceparent was honoured.
    expect(httpSpan.parentSpanId).toBe(parentId);
    const graphql = await until('a GraphQL span', () => some(ours().filter((s) => s.scope.includes('graphql'))));
    expect(graphql.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/Score/)]));
    const pg = await until('a PostgreSQL span', () => some(ours().filter((s) => s.scope.includes('pg'))));
    const sql = (s: Span) => String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '');
    expect(pg.map(sql)).toEqual(expect.arrayContaining([expect.stringMatching(/FROM icp\b/)]));
    // One trace: every span of it descends from the HTTP span.
    const byId = new Map(ours().map((s) => [s.spanId, s]));
    for (const s of [...graphql, ...pg]) {
      let up: Span | undefined = s;
      while (up && up !== httpSpan) up = up.parentSpanId ? byId.get(up.parentSpanId) : undefined;
      expect(up).toBe(httpSpan);
    }
    expect(posts.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);
  }, 120_000);

  it('a GET /graphql span carries no query string: neither its name nor any attribute holds the variables', async () => {
    server = await startServer(await createTestDatabase(), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const token = await login(server.url, TEST_ADMIN);
    const traceId = randomBytes(16).toString('hex');
    const secret = `acct-${randomBytes(6).toString('hex')}`;
    const query = `query Score($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`;
    const search = new URLSearchParams({
      query,
      variables: JSON.stringify({ a: { key: secret, attributes: { domain: `${secret}.example` } } }),
      operationName: 'Score',
    });
    const res = await fetch(`${server.url}/graphql?${search}`, {
      headers: {
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': 'true',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();

    const httpSpan = await until('the HTTP server span', () =>
      spans.find((s) => s.traceId === traceId && s.scope.includes('instrumentation-http') && s.kind === 2),
    );
    expect(httpSpan.name).not.toContain('?');
    expect(httpSpan.attributes['url.path']).toBe('/graphql');
    // (An array path: a dotted string would be read as nested properties.)
    for (const key of ['url.query', 'url.full', 'http.target', 'http.url'])
      expect(httpSpan.attributes).not.toHaveProperty([key]);
    // Nothing of the request's query string in any span of the trace.
    const ours = JSON.stringify(spans.filter((s) => s.traceId === traceId));
    expect(ours).not.toContain(secret);
    expect(ours).not.toContain('variables');
  }, 120_000);

  it('without OTEL_EXPORTER_OTLP_ENDPOINT: no OpenTelemetry SDK, exporter or instrumentation is loaded', () => {
    // main.ts's first import, then everything the server loads; which OpenTelemetry modules are in require's cache.
    const loaded = (env: Record<string, string>) => {
      const { OTEL_EXPORTER_OTLP_ENDPOINT: _a, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _b, ...parent } = process.env;
      const out = execFileSync(
        process.execPath,
        [
          '-e',
          `require('./dist/api/src/observability/preload'); require('./dist/api/src/app');
           const names = Object.keys(require.cache).map((f) => /@opentelemetry[/]([^/]+)/.exec(f)?.[1]).filter(Boolean);
           console.log(JSON.stringify([...new Set(names)]));`,
        ],
        { cwd: ROOT, env: { ...parent, ...env }, encoding: 'utf8' },
      );
      return JSON.parse(out) as string[];
    };
    // prom-client reads the API package (a no-op without an SDK) for exemplars; nothing else.
    expect(loaded({})).toEqual(['api']);
    expect(loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toEqual(
      expect.arrayContaining(['sdk-node', 'exporter-trace-otlp-http', 'instrumentation-http', 'instrumentation-pg']),
    );
  });
});
