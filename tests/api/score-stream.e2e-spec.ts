import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseCsv } from '../../api/src/csv/csv';
import { BATCH_RECORDS } from '../../api/src/fit-score/score-stream';
import { runningScoreStreams } from '../../api/src/http/score-stream';
import { registry } from '../../api/src/observability/metrics';
import { ROOT } from '../helpers/process';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * POST /v1/score/{icp}: bulk scoring as a stream, over real HTTP on
 * 127.0.0.1 against the in-process server and its PostgreSQL.
 */

let t: TestServer;
let key: string;

beforeAll(async () => {
  t = await startTestServer();
  key = await newKey(t, 'stream');
}, 60_000);
afterAll(() => t?.close());

async function newKey(server: TestServer, name: string): Promise<string> {
  const { createApiKey } = await server.ok(
    `mutation($n: String!) { createApiKey(input: { name: $n, role: CLIENT }) { key } }`,
    { n: name },
  );
  return createApiKey.key;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** POSTs a body (text, or a stream read as the server takes it) and reads the whole reply. */
function post(
  path: string,
  body: string | Readable,
  headers: Record<string, string>,
  opts: { key?: string | null; server?: TestServer } = {},
): Promise<Reply> {
  const { res, req } = open(path, headers, opts);
  (typeof body === 'string' ? Readable.from([body]) : body).pipe(req);
  return res.then(
    (r) =>
      new Promise<Reply>((resolve, reject) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, text }));
        r.on('error', reject);
      }),
  );
}

/** The request, and its response once its head arrives (while the body may still be going up). */
function open(path: string, headers: Record<string, string>, opts: { key?: string | null; server?: TestServer } = {}) {
  const server = opts.server ?? t;
  const auth = opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? key}` };
  const req = http.request(`${server.baseUrl}${path}`, { method: 'POST', headers: { ...headers, ...auth } });
  const res = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  return { req, res };
}

const NDJSON = { 'content-type': 'application/x-ndjson' };
const CSV = { 'content-type': 'text/csv' };
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('NDJSON', () => {
  it('scores each account in order, reports bad rows inline by line, and ends with a summary', async () => {
    const accounts = [
      { key: 'mid', attributes: { employees: 800, isMsp: false } },
      { key: 'small', attributes: { employees: 20, isMsp: false } },
      { key: 'msp', attributes: { employees: 300, isMsp: true } },
      { key: 'unknown', attributes: {} },
    ];
    const body = [
      JSON.stringify(accounts[0]),
      '{"key": "broken", ',
      JSON.stringify(accounts[1]),
      '',
      '[1, 2]',
      JSON.stringify({ key: 'typed', attributes: { employees: 'lots' } }),
      JSON.stringify(accounts[2]),
      JSON.stringify(accounts[3]),
    ].join('\n');
    const r = await post('/v1/score/itsm', body, NDJSON);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const out = lines(r.text);
    const summary = out.pop().summary;
    expect(out.map((o) => o.line)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(out[1].error).toMatch(/^line 2: not JSON/);
    expect(out[3].error).toBe('line 5: expected an object {"key", "name", "attributes": {…}}');
    // As the README's "Bulk scoring" shows it.
    expect(out[4].error).toBe('line 6, employees: must be a whole number, got "lots" (account "typed")');
    // The same scores as GraphQL's fitScores gives.
    const { fitScores } = await t.ok(
      `query($a: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $a) { accountKey score tier { name } band { name } disqualified undetermined action } }`,
      { a: accounts },
    );
    const scored = out.filter((o) => !o.error);
    expect(scored.map((o) => [o.key, o.score, o.tier || null, o.band || null, o.disqualified, o.action])).toEqual(
      fitScores.map((s: any) => [
        s.accountKey,
        s.score,
        s.tier?.name ?? null,
        s.band?.name ?? null,
        s.disqualified,
        s.action,
      ]),
    );
    expect(summary).toMatchObject({ icp: 'itsm', rows: 7, scored: 4, errors: 3 });
    const count = (f: (s: any) => boolean) => fitScores.filter(f).length;
    expect(summary.disqualified).toBe(count((s) => s.disqualified));
    expect(summary.needsData).toBe(count((s) => !s.disqualified && s.undetermined));
    expect(Object.values(summary.tiers).reduce((a: number, b) => a + (b as number), 0)).toBe(4);
    expect(summary.tiers['Primary ICP: Mid-Market']).toBe(count((s) => s.tier?.name === 'Primary ICP: Mid-Market'));
  });

  it('refuses what it cannot read before any scoring, with a status and a message', async () => {
    const one = JSON.stringify({ attributes: { employees: 800 } });
    const cases: [string, Record<string, string>, { key?: string | null }, number, RegExp][] = [
      ['/v1/score/itsm', { 'content-type': 'application/json' }, {}, 415, /Content-Type must be/],
      ['/v1/score/itsm', { ...NDJSON, accept: 'application/xml' }, {}, 406, /Accept must allow/],
      ['/v1/score/itsm?version=0', NDJSON, {}, 400, /version must be a published version number/],
      ['/v1/score/nope', NDJSON, {}, 404, /no ICP with id "nope"/],
      ['/v1/score/itsm?version=999', NDJSON, {}, 404, /published version/],
      ['/v1/score/itsm', NDJSON, { key: null }, 401, /Sign in/],
      ['/v1/score/itsm', NDJSON, { key: 'icp_not-a-key' }, 401, /./],
    ];
    for (const [path, headers, opts, status, message] of cases) {
      const r = await post(path, one, headers, opts);
      expect([path, r.status]).toEqual([path, status]);
      expect(JSON.parse(r.text).error).toMatch(message);
    }
  });
});

it("the README's curl example, run as written", async () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^### Bulk scoring\n([\s\S]*?)^### /m.exec(readme)![1];
  const [code] = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-stream-'));
  try {
    const env = { ...process.env, ICP_URL: t.baseUrl, ICP_API_KEY: key };
    const { stdout } = await promisify(execFile)('sh', ['-e', '-c', code], { cwd, env, timeout: 30_000 });
    const rows = parseCsv(stdout).rows.map((r) => r.cells);
    expect(rows.map((r) => [r[0], r[1], r[5]])).toEqual([
      ['line', 'key', 'tier'],
      ['2', 'acme', 'Primary ICP: Mid-Market'],
      ['3', '', ''],
      ['summary', '', ''],
    ]);
    expect(rows[2].at(-1)).toBe('line 3, column employees: "lots" is not a whole number');
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

describe('CSV', () => {
  it('reads a CSV by the catalogue and answers CSV in the same order, bad rows and quoted line ends included', async () => {
    const body = [
      'key,name,employees,isMsp,country',
      'a1,"Acme, Inc",800,no,DE',
      'a2,Beta,lots,no,FR',
      'a3,"Gamma',
      'Two Lines",300,yes,US',
      '',
      'a4,Delta,20,false,',
    ].join('\r\n');
    const r = await post('/v1/score/itsm', body, CSV);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const { rows } = parseCsv(r.text);
    const [header, ...rest] = rows.map((x) => x.cells);
    const col = (name: string) => header.indexOf(name);
    expect(header.slice(0, 4)).toEqual(['line', 'key', 'name', 'score']);
    expect(rest.map((c) => c[0])).toEqual(['2', '3', '4', '7', 'summary']);
    expect(rest.map((c) => c[col('key')])).toEqual(['a1', '', 'a3', 'a4', '']);
    expect(rest[0][col('name')]).toBe('Acme, Inc');
    expect(rest[0][col('tier')]).toBe('Primary ICP: Mid-Market');
    expect(rest[1][col('error')]).toBe('line 3, column employees: "lots" is not a whole number');
    // A quoted line end is kept as the file has it (CRLF here), as the whole-file reader keeps it.
    expect(rest[2][col('name')]).toBe('Gamma\r\nTwo Lines');
    const summary = JSON.parse(rest[4][col('error')]);
    expect(summary).toMatchObject({ rows: 4, scored: 3, errors: 1 });
  });

  it('NDJSON in, CSV out (Accept), and a header naming no attribute stops the stream with a reason', async () => {
    const r = await post('/v1/score/itsm', JSON.stringify({ key: 'k', attributes: { employees: 900 } }), {
      ...NDJSON,
      accept: 'text/csv',
    });
    expect(parseCsv(r.text).rows.map((x) => x.cells[1])).toEqual(['key', 'k', '']);
    const bad = await post('/v1/score/itsm', 'foo,bar\n1,2\n', CSV, {});
    const rows = parseCsv(bad.text).rows.map((x) => x.cells);
    expect(rows[1][0]).toBe('1');
    expect(rows[1].at(-1)).toMatch(/^BAD_HEADER: line 1: no column names an attribute of the catalogue/);
    expect(JSON.parse(rows[2].at(-1)!)).toMatchObject({ rows: 0, scored: 0, stopped: { code: 'BAD_HEADER' } });
  });

  it('an unclosed quote stops at its line after scoring what came before', async () => {
    const body = `key,employees\nok,800\nbad,"800\n${'x'.repeat(1100)}\n`.repeat(1) + 'y\n'.repeat(600_000);
    const r = await post('/v1/score/itsm', body, CSV);
    const rows = parseCsv(r.text).rows.map((x) => x.cells);
    expect(rows[1][1]).toBe('ok');
    expect(rows[2].at(-1)).toMatch(
      /^RECORD_TOO_LONG: line 3: a record longer than 1,048,576 characters \(a quoted field is not closed/,
    );
    expect(JSON.parse(rows[3].at(-1)!)).toMatchObject({ scored: 1, stopped: { code: 'RECORD_TOO_LONG' } });
  });
});

/** NDJSON accounts without end (or `count` of them), made as they are read; every 10th lacks its headcount. */
function accounts(count = Infinity): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i >= count) return void this.push(null);
      let chunk = '';
      for (let n = 0; n < 2_000 && i < count; n++, i++) {
        const attributes = i % 10 === 9 ? { isMsp: false } : { employees: 50 + (i % 7_000), isMsp: i % 13 === 0 };
        chunk += `{"key":"a${i}","attributes":${JSON.stringify(attributes)}}\n`;
      }
      this.push(chunk);
    },
  });
}

describe('at scale', () => {
  it('streams 1,000,000 accounts in order with memory flat', async () => {
    const total = 1_000_000;
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { req, res } = open('/v1/score/itsm', NDJSON);
    accounts(total).pipe(req);
    const r = await res;
    expect(r.statusCode).toBe(200);
    r.setEncoding('utf8');
    let rest = '';
    let seen = 0;
    let last = '';
    let ordered = true;
    const rss: number[] = [];
    for await (const chunk of r as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const p of parts) {
        // Every line's number is the one after the last: the order holds (checked cheaply, by text).
        if (!p.startsWith(`{"line":${seen + 1},`) && !p.startsWith('{"summary"')) ordered = false;
        if (!p.startsWith('{"summary"')) seen++;
        last = p;
        if (seen % 100_000 === 0 && p.startsWith(`{"line":${seen},`)) {
          // After a full collection: a plain reading lands anywhere on the collector's sawtooth.
          gc();
          rss.push(process.memoryUsage().rss);
        }
      }
    }
    expect(ordered).toBe(true);
    expect(seen).toBe(total);
    const summary = JSON.parse(last).summary;
    expect(summary).toMatchObject({ rows: total, scored: total, errors: 0 });
    expect(summary.needsData).toBeGreaterThanOrEqual(total / 10);
    // Server and client share this process: resident memory from the 2nd to the 10th 100,000 grows < 64 MB.
    expect(rss).toHaveLength(10);
    expect(rss[9] - rss[1]).toBeLessThan(64 * 1024 * 1024);
  }, 300_000);

  it('a client that hangs up mid-stream stops the scoring at once', async () => {
    const before = runningScoreStreams();
    const { req, res } = open('/v1/score/itsm', NDJSON);
    // An input without end, produced as long as it is read: nothing but the hang-up can stop this stream.
    const body = accounts();
    body.pipe(req);
    try {
      const r = await res;
      let got = 0;
      await new Promise<void>((resolve) => {
        r.on('data', (c: Buffer) => {
          got += c.length;
          if (got > 100_000) resolve();
        });
      });
      expect(runningScoreStreams()).toBe(before + 1);
      // The scorer at work, through the accounts counted as scored: it goes on past what its stages can hold.
      const going = await scoredTotal();
      await waitFor(async () => (await scoredTotal()) - going > 5 * BATCH_RECORDS, 'the scoring to go on', 10_000);
      const scoredAt = await scoredTotal();
      req.destroy();
      // The scorer itself closes, not only the handler's await: a stage left open would count here.
      await waitFor(() => runningScoreStreams() === before, 'the stream to close after the hang-up', 2_000);
      const stopped = await scoredTotal();
      await sleep(500);
      // Then nothing more is scored; before it, at most what the stages held when the hang-up came (one batch
      // being scored, two queued on either side of the scorer).
      expect(await scoredTotal()).toBe(stopped);
      expect(stopped - scoredAt).toBeLessThanOrEqual(5 * BATCH_RECORDS);
    } finally {
      // Whatever failed above, neither the endless input nor the request outlives the test.
      body.destroy();
      req.destroy();
    }
  }, 60_000);
});

async function scoredTotal(): Promise<number> {
  const m = await registry.getSingleMetric('icp_accounts_scored_total')!.get();
  return m.values[0].value;
}

async function waitFor(ok: () => boolean | Promise<boolean>, what: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(20);
  }
}

describe('quotas', () => {
  let q: TestServer;
  beforeAll(async () => {
    q = await startTestServer({
      config: { quotaRequestsPerMinute: 100, quotaAccountsPerMinute: 2_500, quotaWindowSeconds: 60, quotaFlushMs: 50 },
    });
  }, 60_000);
  afterAll(() => q?.close());

  it('counts each account scored: past the quota the stream ends with the refusal, and the next is a 429', async () => {
    const k = await newKey(q, 'quota');
    const r = await post('/v1/score/itsm', accounts(5_000), NDJSON, { key: k, server: q });
    expect(r.status).toBe(200);
    expect(r.headers['ratelimit-limit']).toBe('2500');
    const out = lines(r.text);
    const summary = out.pop().summary;
    const stop = out.pop();
    // Batches of 1,000: two fit in 2,500, the third is refused before it is scored.
    expect(out).toHaveLength(2_000);
    expect(stop).toMatchObject({ code: 'TOO_MANY_REQUESTS', fatal: true });
    expect(stop.error).toMatch(/The accounts quota of key:quota \(2500 per 60 s\) is used up/);
    expect(summary).toMatchObject({ scored: 2_000, stopped: { code: 'TOO_MANY_REQUESTS' } });
    // 2,000 of 2,500 used: a batch of 1,000 more is refused before anything is sent.
    const again = await post('/v1/score/itsm', accounts(1_000), NDJSON, { key: k, server: q });
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBeDefined();
    expect(JSON.parse(again.text)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('time', () => {
  // A deadline of one second for receiving a whole request, as Node's five minutes would be for a long stream; a
  // stream's idle timeout apart from it, so that each cut says which one made it.
  const DEADLINE_MS = 1_000;
  const IDLE_MS = 2_500;
  let d: TestServer;
  let k: string;
  beforeAll(async () => {
    d = await startTestServer({ config: { requestTimeoutMs: DEADLINE_MS, streamIdleTimeoutMs: IDLE_MS } });
    k = await newKey(d, 'time');
  }, 60_000);
  afterAll(() => d?.close());

  /** `n` accounts, one every `everyMs`: a client uploading slowly, as a large file over a slow link would. */
  function trickle(n: number, everyMs: number): Readable {
    return Readable.from(
      (async function* () {
        for (let i = 0; i < n; i++) {
          yield JSON.stringify({ key: `slow-${i}`, attributes: { employees: 100 + i, isMsp: i % 2 === 0 } }) + '\n';
          await sleep(everyMs);
        }
      })(),
    );
  }

  /**
   * A raw request that sends `sent` of a body declared `length` bytes long, then one byte every `dripMs` (or
   * nothing); what came back (status, body) and when the connection closed, in ms from the start.
   */
  async function partial(path: string, headers: Record<string, string>, length: number, sent: string, dripMs = 0) {
    const req = http.request(`${d.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(length) },
    });
    const started = Date.now();
    let status: number | undefined;
    let text = '';
    req.on('response', (r) => {
      status = r.statusCode;
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c)).on('error', () => undefined);
    });
    req.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => req.once('close', () => resolve(Date.now() - started)));
    req.write(sent);
    const drip = dripMs ? setInterval(() => req.write(' '), dripMs) : undefined;
    // At most this long: a connection still open then has not been cut.
    const ms = await Promise.race([closed, sleep(DEADLINE_MS + IDLE_MS + 3_000).then(() => Infinity)]);
    clearInterval(drip);
    req.destroy();
    return { status, text, ms };
  }

  it('a stream longer than the request deadline goes on as long as it moves', async () => {
    const started = Date.now();
    const r = await post('/v1/score/itsm', trickle(25, 100), NDJSON, { key: k, server: d });
    expect(Date.now() - started).toBeGreaterThan(2 * DEADLINE_MS);
    expect(r.status).toBe(200);
    const out = lines(r.text);
    expect(out.pop().summary).toMatchObject({ rows: 25, scored: 25, errors: 0 });
    expect(out.map((o) => o.key)).toEqual(Array.from({ length: 25 }, (_, i) => `slow-${i}`));
  });

  it('a stream that falls silent is cut after the idle timeout (not the deadline), and stops scoring', async () => {
    const before = runningScoreStreams();
    const account = JSON.stringify({ key: 'then-silence', attributes: { employees: 90 } }) + '\n';
    const r = await partial('/v1/score/itsm', { ...NDJSON, authorization: `Bearer ${k}` }, 1_000_000, account);
    // Cut before its first batch was full: nothing was answered, the connection closed (a hang-up), no 408.
    expect(r.status).toBeUndefined();
    expect(r.ms).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(r.ms).toBeLessThan(IDLE_MS + 2_000);
    await waitFor(() => runningScoreStreams() === before, 'the stream to close', 2_000);
  });

  it('any other request still has to arrive within the deadline: 408, and the connection closed', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    // Half the body, then nothing.
    const r = await partial('/graphql', { 'content-type': 'application/json' }, body.length, body.slice(0, 10));
    expect(r.status).toBe(408);
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 2_000);
    expect(JSON.parse(r.text).errors[0]).toMatchObject({
      message: `the request was not received in full within ${DEADLINE_MS} ms`,
      extensions: { code: 'REQUEST_TIMEOUT' },
    });
  });

  it('a request to no route, its body unfinished: 408 too, and the server goes on', async () => {
    // Express's 404 waits for the body: the deadline comes first, and the 404 finds the connection closed.
    const r = await partial('/no-such-route', { 'content-type': 'text/plain' }, 10, 'ab');
    expect(r.status).toBe(408);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 2_000);
    expect(await d.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('a request answered before its body arrived (413, 401) is still cut at the deadline while the body trickles', async () => {
    const huge = 100_000_000_000;
    for (const [path, headers] of [
      ['/graphql', { 'content-type': 'application/json' }],
      ['/v1/score/itsm', { ...NDJSON, authorization: 'Bearer not-a-key' }],
    ] as const) {
      const r = await partial(path, headers, huge, '{', 200);
      expect([path, r.status]).toEqual([path, path === '/graphql' ? 413 : 401]);
      expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(r.ms).toBeLessThan(DEADLINE_MS + 2_000);
    }
  });
});
