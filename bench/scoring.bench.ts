import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { type BenchOptions, engineComparison } from './engine-comparison';
import { BENCH_HISTORY_KEY, benchDatabase, benchToken, fmt, gql, loadAverage, summarize } from './harness';
import { mlAccounts } from './peers';

export { mlAccounts };

export function spawnNode(script: string, env: Record<string, string>, flags: string[] = []): ChildProcess {
  const { DATABASE_URL: _u, ...parent } = process.env;
  return spawn(process.execPath, [...flags, script], {
    env: { ...parent, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** BENCH_CPU_PROF=<dir>: the API process runs under `node --cpu-prof`, its profile written there when it stops. */
export const profileFlags = (): string[] =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

export async function ready(url: string, init?: RequestInit): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(url, init)).ok) return;
    } catch {
      // starting
    }
    if (Date.now() - t0 > 60_000) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function load(
  url: string,
  body: string | string[],
  connections: number,
  seconds: number,
  auth?: string,
): Promise<autocannon.Result> {
  const bodies = Array.isArray(body) ? body : [body];
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(auth ? { authorization: `Bearer ${auth}` } : {}),
  };
  // Each connection cycles through the bodies, each built once.
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: bodies.map((b) => ({ method: 'POST', headers, body: b })),
  });
}

/** The built API, as the benches start it in a process of its own. */
export const API_MAIN = path.resolve(__dirname, '../api/src/main.js');

/** What an API process of the benches runs with: production, warn-level logs, the bench's keys. */
export const productionEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  AUTH_SECRET: 'bench-secret-that-is-long-enough-000000',
  HISTORY_SIGNING_KEY: BENCH_HISTORY_KEY,
});

export const TURNS = 5;
export const SLICE_SECONDS = 2;
/** Turns and seconds per turn of each HTTP figure; `--quick`: fewer and shorter. */
const FULL = { turns: 5, slice: 2, batchWarm: 3, batchSlice: 2, million: 1_000_000 };
const QUICK = { turns: 2, slice: 1, batchWarm: 1, batchSlice: 1, million: 50_000 };

/** The median of some ratios and their range, as "0.61 (0.55–0.66)". */
export function spread(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${fmt(s[Math.floor(s.length / 2)], 2)} (${fmt(s[0], 2)}–${fmt(s[s.length - 1], 2)})`;
}

/** Turn by turn, one target's requests/s over another's. */
const ratios = (a: autocannon.Result[], b: autocannon.Result[]) =>
  a.map((r, i) => r.requests.total / r.duration / (b[i].requests.total / b[i].duration));

/** A process's resident set in MiB (Linux: /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error(`no resident set size for process ${pid}`);
  return Number(kb[1]) / 1024;
}

export interface Merged {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Several autocannon runs of one target as one figure. */
export function merged(runs: autocannon.Result[]): Merged {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    rps: runs.reduce((n, r) => n + r.requests.total, 0) / runs.reduce((n, r) => n + r.duration, 0),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
  };
}

// The largest quota the configuration accepts: it counts, and never refuses the bench's requests.
const BENCH_QUOTA = 100_000_000;

async function quotaRows(ownerUrl: string): Promise<string> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT split_part(key, ':', 1) || ' per ' || split_part(key, ':', 2) AS quota, points FROM rate_limit WHERE expire > $1 ORDER BY key`,
      [Date.now()],
    );
    return rows.map((r) => `${r.quota} ${Number(r.points).toLocaleString('en')}`).join(', ') || 'nothing';
  } finally {
    await c.end();
  }
}

export async function httpComparison(options: BenchOptions): Promise<string[]> {
  const { turns: TURNS, slice: SLICE_SECONDS, batchWarm, batchSlice, million } = options.quick ? QUICK : FULL;
  const db = await benchDatabase('icp_bench_scoring');
  const apiPort = 4700 + Math.floor(Math.random() * 200);
  const helloPort = apiPort + 1;
  const offPort = apiPort + 2;
  const limitPort = apiPort + 3;
  const main = API_MAIN;
  const env = productionEnv(db.ownerUrl);
  // Quotas on, as in production: counting every request and account in PostgreSQL, high enough never to refuse the bench.
  const api = spawnNode(
    main,
    {
      ...env,
      PORT: String(apiPort),
      QUOTA_REQUESTS_PER_MINUTE: String(BENCH_QUOTA),
      QUOTA_ACCOUNTS_PER_MINUTE: String(BENCH_QUOTA),
    },
    profileFlags(),
  );
  const hello = spawnNode(path.resolve(__dirname, 'hello-server.js'), { PORT: String(helloPort) });
  const recorded = path.join(os.tmpdir(), `icp-bench-fitscores-${process.pid}.json`);
  let off: ChildProcess | undefined;
  let limit: ChildProcess | undefined;
  try {
    await ready(`http://127.0.0.1:${apiPort}/readyz`);
    // Started after the first has migrated the database; measured after it, for the cost of the quotas.
    off = spawnNode(main, {
      ...env,
      PORT: String(offPort),
      QUOTA_REQUESTS_PER_MINUTE: '0',
      QUOTA_ACCOUNTS_PER_MINUTE: '0',
    });
    await ready(`http://127.0.0.1:${offPort}/readyz`);
    await ready(`http://127.0.0.1:${helloPort}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ hello }"}',
    });
    const idleMiB = rssMiB(api.pid!);
    // Client tools send an API key: so does the benchmark.
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const token = await benchToken(apiUrl);
    const { createApiKey } = await gql(
      apiUrl,
      'mutation { createApiKey(input: { name: "bench", role: CLIENT }) { key } }',
      {},
      { authorization: `Bearer ${token}` },
    );
    const key: string = createApiKey.key;
    const accounts = mlAccounts(1000).filter((_, i) => i % 10 !== 0);
    const one = accounts.slice(0, 50).map((a) =>
      JSON.stringify({
        query:
          'query($a: AccountInput!) { fitScore(icp: "ml-inference", account: $a) { accountKey score tier { name rank } band { name action } disqualified dimensions { name score } missingAttributes } }',
        variables: { a: a },
      }),
    );
    const batch = JSON.stringify({
      query:
        'query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { accountKey score tier { name rank } band { name } disqualified } }',
      variables: { as: mlAccounts(1000).map((a, i) => (i % 10 === 0 ? mlAccounts(1)[0] : a)) },
    });
    const helloBody = JSON.stringify({ query: '{ hello }' });
    // autocannon counts only HTTP failures: first make sure both requests really score (a GraphQL error is HTTP 200 too).
    for (const body of [one[0], batch]) {
      const res = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      const text = await res.text();
      const answer = JSON.parse(text) as { errors?: unknown[] };
      if (answer.errors) throw new Error(`the benchmark's request fails: ${JSON.stringify(answer.errors)}`);
      // fitScores' limit answers with these very bytes.
      if (body === batch) fs.writeFileSync(recorded, text);
    }
    limit = spawnNode(path.resolve(__dirname, 'limit-server.js'), { PORT: String(limitPort), RESPONSE_FILE: recorded });
    await ready(`http://127.0.0.1:${limitPort}/`, { method: 'POST', body: '{}' });
    // Warm both, then measure.
    const targets = {
      hello: () => load(`http://127.0.0.1:${helloPort}/`, helloBody, 10, SLICE_SECONDS),
      on: () => load(`http://127.0.0.1:${apiPort}/graphql`, one, 10, SLICE_SECONDS, key),
      off: () => load(`http://127.0.0.1:${offPort}/graphql`, one, 10, SLICE_SECONDS, key),
    };
    for (const run of Object.values(targets)) await run(); // warm-up
    // In turns of 2 s, so that a machine whose load drifts (other work on it) weighs on all three alike.
    const slices: Record<keyof typeof targets, autocannon.Result[]> = { hello: [], on: [], off: [] };
    for (let turn = 0; turn < TURNS; turn++)
      for (const [name, run] of Object.entries(targets)) slices[name as keyof typeof targets].push(await run());
    const [h, f, o] = [merged(slices.hello), merged(slices.on), merged(slices.off)];
    // fitScores and its limit, in turns too.
    const batches = {
      api: (s: number) => load(`http://127.0.0.1:${apiPort}/graphql`, batch, 2, s, key),
      limit: (s: number) => load(`http://127.0.0.1:${limitPort}/`, batch, 2, s),
    };
    for (const run of Object.values(batches)) await run(batchWarm);
    const batchSlices: Record<keyof typeof batches, autocannon.Result[]> = { api: [], limit: [] };
    for (let turn = 0; turn < TURNS; turn++)
      for (const [name, run] of Object.entries(batches))
        batchSlices[name as keyof typeof batches].push(await run(batchSlice));
    const [b, l] = [merged(batchSlices.api), merged(batchSlices.limit)];
    // What PostgreSQL counted in the current 60 s window (the loads above took longer than one).
    const counted = await quotaRows(db.ownerUrl);
    // The resident set after each further million accounts scored through fitScores (a second's rest first).
    const perMillion: number[] = [];
    for (let m = 0; m < 3; m++) {
      const run = await autocannon({
        url: `http://127.0.0.1:${apiPort}/graphql`,
        connections: 2,
        amount: million / 1000,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: batch,
          },
        ],
      });
      if (run.errors + run.non2xx + run.timeouts) throw new Error('fitScores failed during the memory run');
      await new Promise((r) => setTimeout(r, 1000));
      perMillion.push(rssMiB(api.pid!));
    }
    const errors = (r: Merged) => r.errors;
    const mib = (x: number) => `${fmt(x, 0)} MiB`;
    const millions =
      million === 1_000_000
        ? ['1st', '2nd', '3rd'].map((n) => `${n} million`)
        : ['1st', '2nd', '3rd'].map((n) => `${n} ${million.toLocaleString('en')}`);
    const growth = perMillion[2] - perMillion[1];
    summarize(`http: bare Apollo { hello }: ${fmt(h.rps, 0)} requests/s, p99 ${h.p99} ms`);
    summarize(
      `http: fitScore, quotas on: ${fmt(f.rps, 0)} requests/s, ${spread(ratios(slices.on, slices.hello))}x bare Apollo (median of ${TURNS} turns, range), p99 ${f.p99} ms`,
    );
    summarize(
      `http: fitScore, quotas off: ${fmt(o.rps, 0)} requests/s, ${spread(ratios(slices.off, slices.hello))}x bare Apollo, p99 ${o.p99} ms`,
    );
    summarize(
      `http: fitScores, 1,000 per call: ${fmt(b.rps * 1000, 0)} accounts/s, ${spread(ratios(batchSlices.api, batchSlices.limit))}x its limit (${fmt(l.rps * 1000, 0)} accounts/s), p99 ${b.p99} ms`,
    );
    summarize(
      `http: memory (resident set): idle ${mib(idleMiB)}; after the ${millions.map((n, i) => `${n} ${mib(perMillion[i])}`).join(', ')}; 2nd to 3rd ${growth >= 0 ? '+' : ''}${fmt(growth, 0)} MiB`,
    );
    return [
      '### Over HTTP (server in its own process, autocannon in another, same machine)',
      '',
      '| what | requests/s | p50 | p99 | errors |',
      '|---|---|---|---|---|',
      `| bare Apollo Server 5 answering \`{ hello }\` (10 connections) | ${fmt(h.rps, 0)} | ${h.p50} ms | ${h.p99} ms | ${errors(h)} |`,
      `| \`fitScore\` (ml-inference, 50 different accounts in turn, 10 connections), quotas on | ${fmt(f.rps, 0)} | ${f.p50} ms | ${f.p99} ms | ${errors(f)} |`,
      `| \`fitScore\` as above, on a process with quotas off | ${fmt(o.rps, 0)} | ${o.p50} ms | ${o.p99} ms | ${errors(o)} |`,
      `| \`fitScores\` with 1,000 accounts per call (2 connections), quotas on | ${fmt(b.rps, 1)} | ${b.p50} ms | ${b.p99} ms | ${errors(b)} |`,
      `| the limit of \`fitScores\`: a bare Node server answering the same request with the same recorded bytes | ${fmt(l.rps, 1)} | ${l.p50} ms | ${l.p99} ms | ${errors(l)} |`,
      '',
      `- Measured in ${TURNS} turns of ${SLICE_SECONDS} s (fitScores and its limit: ${batchSlice} s) each, the targets one after the other in every turn (requests/s over all turns; p50: the turns' median; p99: the worst turn's); ratios: the median of the turns' ratios, with their range.`,
      `- fitScore (quotas on) / bare Apollo: **${spread(ratios(slices.on, slices.hello))}** (target ≥ 0.75); fitScore p99 **${f.p99} ms** (target ≤ 5 ms). Quotas off / bare Apollo: ${spread(ratios(slices.off, slices.hello))}.`,
      `- Quotas on: QUOTA_REQUESTS_PER_MINUTE and QUOTA_ACCOUNTS_PER_MINUTE = ${BENCH_QUOTA.toLocaleString('en')}, flushed every 100 ms; PostgreSQL's rate_limit held at the end: ${counted}.`,
      `- fitScores end to end: **${fmt(b.rps * 1000, 0)} accounts/s** (target ≥ 300,000); its limit (bench/limit-server.ts: reads and parses the same request body, answers the API's recorded response to it, ${fs.statSync(recorded).size.toLocaleString('en')} bytes): ${fmt(l.rps * 1000, 0)} accounts/s; fitScores / limit: **${spread(ratios(batchSlices.api, batchSlices.limit))}**.`,
      `- Memory of the API process (quotas on), resident set: ${mib(idleMiB)} at idle (started, before any request); after the loads above, then after each further ${million.toLocaleString('en')} accounts scored through fitScores (1,000 per call, 2 connections): ${perMillion.map(mib).join(', ')}; from the 2nd to the 3rd: ${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MiB.`,
      '- The API runs with NODE_ENV=production and request logging on (level warn); every request carries a CLIENT API key, checked (from the in-memory cache) and authorized like any client tool.',
    ];
  } finally {
    api.kill('SIGTERM');
    hello.kill('SIGTERM');
    off?.kill('SIGTERM');
    limit?.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    if (off && off.exitCode === null) await new Promise((r) => off!.once('exit', r));
    fs.rmSync(recorded, { force: true });
    await db.stop();
  }
}

export async function scoringBench(options: BenchOptions = {}): Promise<string> {
  const load = loadAverage();
  const engine = await engineComparison(options);
  const http = await httpComparison(options);
  return [
    `## Fit scoring (issue 4)${options.quick ? ' (quick run: fewer accounts, rounds and turns)' : ''}`,
    '',
    `Load average at the start: ${load}.`,
    '',
    ...engine,
    '',
    ...http,
  ].join('\n');
}
