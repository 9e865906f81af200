import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { BENCH_HISTORY_KEY, benchDatabase, benchToken, fmt, gql } from './harness';
import { metrics } from '../api/src/observability/metrics';
import {
  type GraphqlOutcome,
  operationStanding,
  outcomeCode,
  outcomeFields,
} from '../api/src/observability/request-outcome';
import { load, merged, type Merged, mlAccounts, ready, SLICE_SECONDS, spawnNode, TURNS } from './scoring.bench';

/**
 * What metrics and request outcomes cost the hot path with nothing
 * configured (no METRICS_TOKEN, no OTLP endpoint): fitScore over HTTP on
 * this build against the same request on a build of the commit before them
 * (BENCH_BASE_REF, default 1808a33: main when they were written), both
 * servers on one database, measured in alternating turns, at the default log
 * level (info: one line per request) and at warn.
 */
const ROOT = path.resolve(__dirname, '../..');
const BASE_REF = process.env.BENCH_BASE_REF ?? '1808a33';

/** The base commit compiled in a temporary folder (its own dist/), with this checkout's node_modules. */
function buildBase(): { main: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-bench-base-'));
  const archive = execFileSync('git', ['archive', '--format=tar', BASE_REF], { cwd: ROOT, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return { main: path.join(dir, 'dist/api/src/main.js'), dir };
}

const stop = async (p: ChildProcess | undefined) => {
  if (!p || p.exitCode !== null) return;
  p.kill('SIGTERM');
  await new Promise((r) => p.once('exit', r));
};

/**
 * The added work of one request, alone, in this process: the outcome object, its code, the request's counter and
 * histogram, a principal and a model cache look-up counted, one account scored (the log fields only at info level).
 */
function perRequestNs(withLogFields: boolean): number {
  const principal = { id: 'k', kind: 'apiKey', workspaceId: 'w' };
  const once = (i: number) => {
    const outcome: GraphqlOutcome = { principal };
    outcome.operation = 'Score';
    outcome.resolved = true;
    metrics.graphqlRequest(
      outcome.operation,
      operationStanding(outcome),
      outcomeCode(outcome, 200),
      0.001 + (i % 7) / 1000,
    );
    metrics.cache.principal.hit.inc();
    metrics.cache.head.hit.inc();
    metrics.cache.model.hit.inc();
    metrics.accountsScored.inc();
    return withLogFields ? outcomeFields(outcome) : outcome;
  };
  for (let i = 0; i < 100_000; i++) once(i);
  const n = 1_000_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) once(i);
  return Number(process.hrtime.bigint() - t0) / n;
}

export async function observabilityBench(): Promise<string> {
  const ns = { warn: perRequestNs(false), info: perRequestNs(true) };
  const base = buildBase();
  const db = await benchDatabase('icp_bench_observability');
  const port = 4900 + Math.floor(Math.random() * 80);
  const env = {
    DATABASE_URL: db.ownerUrl,
    NODE_ENV: 'production',
    AUTH_SECRET: 'bench-secret-that-is-long-enough-000000',
    HISTORY_SIGNING_KEY: BENCH_HISTORY_KEY,
    QUOTA_REQUESTS_PER_MINUTE: '0',
    QUOTA_ACCOUNTS_PER_MINUTE: '0',
  };
  const servers: ChildProcess[] = [];
  try {
    const rows: string[] = [];
    const notes: string[] = [];
    for (const level of ['info', 'warn']) {
      const ports = { before: port + (level === 'info' ? 0 : 2), after: port + (level === 'info' ? 1 : 3) };
      const before = spawnNode(base.main, { ...env, LOG_LEVEL: level, PORT: String(ports.before) });
      servers.push(before);
      await ready(`http://127.0.0.1:${ports.before}/readyz`);
      const after = spawnNode(path.resolve(__dirname, '../api/src/main.js'), {
        ...env,
        LOG_LEVEL: level,
        PORT: String(ports.after),
      });
      servers.push(after);
      await ready(`http://127.0.0.1:${ports.after}/readyz`);
      const url = `http://127.0.0.1:${ports.after}`;
      const token = await benchToken(url);
      const key: string = (
        await gql(
          url,
          `mutation { createApiKey(input: { name: "bench-${level}", role: CLIENT }) { key } }`,
          {},
          { authorization: `Bearer ${token}` },
        )
      ).createApiKey.key;
      const bodies = mlAccounts(50).map((a) =>
        JSON.stringify({
          query:
            'query Score($a: AccountInput!) { fitScore(icp: "ml-inference", account: $a) { accountKey score tier { name rank } band { name action } disqualified dimensions { name score } missingAttributes } }',
          variables: { a },
        }),
      );
      const targets = {
        before: () => load(`http://127.0.0.1:${ports.before}/graphql`, bodies, 10, SLICE_SECONDS, key),
        after: () => load(`http://127.0.0.1:${ports.after}/graphql`, bodies, 10, SLICE_SECONDS, key),
      };
      for (const run of Object.values(targets)) await run(); // warm-up
      const slices: Record<keyof typeof targets, autocannon.Result[]> = { before: [], after: [] };
      for (let turn = 0; turn < TURNS; turn++)
        for (const [name, run] of Object.entries(targets)) slices[name as keyof typeof targets].push(await run());
      const [b, a] = [merged(slices.before), merged(slices.after)];
      const row = (what: string, m: Merged) =>
        `| ${what}, LOG_LEVEL=${level} | ${fmt(m.rps, 0)} | ${m.p50} ms | ${m.p99} ms | ${m.errors} |`;
      rows.push(row(`before (${BASE_REF})`, b), row('with metrics and request outcomes', a));
      rows.push(`| **after / before**, LOG_LEVEL=${level} | **${fmt(a.rps / b.rps, 3)}** | | | |`);
      // What the added work is of the time one request takes here (2 cores serve ~rps requests per second).
      const share = (ns[level as keyof typeof ns] * b.rps) / 2 / 1e9;
      notes.push(
        `- LOG_LEVEL=${level}: the added work alone takes ${fmt(ns[level as keyof typeof ns], 0)} ns per request, measured in process over 1,000,000 requests: ${fmt(share * 100, 2)}% of a request's share of the 2 cores at the rate measured before.`,
      );
      await Promise.all([stop(before), stop(after)]);
    }
    return [
      '## Observability on the hot path (issue 17)',
      '',
      `\`fitScore\` (ml-inference, 50 accounts in turn, 10 connections, a CLIENT API key, quotas off, NODE_ENV=production, nothing of observability configured) on a build of ${BASE_REF} and on this build, one database, ${TURNS} alternating turns of ${SLICE_SECONDS} s each.`,
      '',
      '| build | requests/s | p50 | p99 | errors |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      '- What runs per request with nothing configured: a `finish` listener (already there at info level), one object for the outcome, one Apollo plugin hook, a counter increment and a histogram observation on children looked up in a Map, and counter increments for cache look-ups and accounts scored. No OpenTelemetry module is loaded.',
      ...notes,
      '- Target: within 5% (after / before ≥ 0.95). On a machine shared with other work, the turns of the same build vary by more than that: the in-process figure above is the one that does not move with the load.',
    ].join('\n');
  } finally {
    await Promise.all(servers.map(stop));
    await db.stop();
    fs.rmSync(base.dir, { recursive: true, force: true });
  }
}
