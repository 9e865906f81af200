import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type autocannon from 'autocannon';
import type { BenchOptions } from './engine-comparison';
import { benchDatabase, benchToken, fmt, gql, loadAverage, summarize } from './harness';
import { API_MAIN, load, mlAccounts, productionEnv, ready, spawnNode, spread } from './scoring.bench';

/**
 * Issue 19, "Scaling": the API keeps no state of its own between requests (sessions, keys, quotas and published
 * versions live in PostgreSQL, caches are invalidated through it), so more processes behind a load balancer score
 * more. Measured: `fitScores` (1,000 ml-inference accounts per call, quotas on, a CLIENT key) against one API process,
 * then against two processes on the same database at once, in alternating turns; the load generator runs in this
 * process, on the same cores.
 */
const QUOTA = String(100_000_000);
const FULL = { turns: 5, seconds: 3 };
const QUICK = { turns: 2, seconds: 1 };

const accountsPerSecond = (runs: autocannon.Result[]) =>
  runs.reduce((n, r) => n + (r.requests.total * 1000) / r.duration, 0);

export async function scalingBench(options: BenchOptions = {}): Promise<string> {
  const { turns, seconds } = options.quick ? QUICK : FULL;
  const started = loadAverage();
  const db = await benchDatabase('icp_bench_scaling');
  const main = API_MAIN;
  const base = 4900 + Math.floor(Math.random() * 50) * 2;
  const env = {
    ...productionEnv(db.ownerUrl),
    QUOTA_REQUESTS_PER_MINUTE: QUOTA,
    QUOTA_ACCOUNTS_PER_MINUTE: QUOTA,
  };
  const procs: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    // One after the other: the first migrates the database, the second finds it ready.
    for (const port of [base, base + 1]) {
      procs.push(spawnNode(main, { ...env, PORT: String(port) }));
      urls.push(`http://127.0.0.1:${port}`);
      await ready(`${urls[urls.length - 1]}/readyz`);
    }
    const token = await benchToken(urls[0]);
    const { createApiKey } = await gql(
      urls[0],
      'mutation { createApiKey(input: { name: "scaling", role: CLIENT }) { key } }',
      {},
      { authorization: `Bearer ${token}` },
    );
    const key: string = createApiKey.key;
    const body = JSON.stringify({
      query:
        'query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { accountKey score tier { name rank } band { name } disqualified } }',
      variables: { as: mlAccounts(1000) },
    });
    // Each process must really score (a GraphQL error is an HTTP 200 too), the key created on one accepted by the other.
    for (const url of urls) {
      const answer = (await gql(url, JSON.parse(body).query, JSON.parse(body).variables, {
        authorization: `Bearer ${key}`,
      })) as { fitScores: unknown[] };
      if (answer.fitScores.length !== 1000) throw new Error(`${url} did not score the batch`);
    }
    const one = () => Promise.all([load(`${urls[0]}/graphql`, body, 2, seconds, key)]);
    const two = () => Promise.all(urls.map((url) => load(`${url}/graphql`, body, 2, seconds, key)));
    await one();
    await two();
    const rates = { one: [] as number[], two: [] as number[] };
    let errors = 0;
    for (let turn = 0; turn < turns; turn++) {
      for (const [name, run] of [
        ['one', one],
        ['two', two],
      ] as const) {
        const runs = await run();
        errors += runs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0);
        rates[name].push(accountsPerSecond(runs));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratios = rates.two.map((r, i) => r / rates.one[i]);
    summarize(
      `scaling: fitScores, 1 process ${fmt(median(rates.one), 0)} accounts/s, 2 processes ${fmt(median(rates.two), 0)}: ${spread(ratios)}x`,
    );
    return [
      `## Scaling out: API processes on one database (issue 19)${options.quick ? ' (quick run)' : ''}`,
      '',
      `Load average at the start: ${started}; at the end: ${loadAverage()}. ${os.cpus().length} cores.`,
      '',
      `\`fitScores\` with 1,000 ml-inference accounts per call (quotas on, a CLIENT key, NODE_ENV=production), 2 connections per process, against one API process and then against two processes on the same PostgreSQL at once; ${turns} alternating turns of ${seconds} s. The load generator (autocannon) runs in the benchmark's process on the same cores.`,
      '',
      '| API processes | accounts/s (median of the turns) | spread (min – max) |',
      '|---|---|---|',
      `| 1 | ${fmt(median(rates.one), 0)} | ${fmt(Math.min(...rates.one), 0)} – ${fmt(Math.max(...rates.one), 0)} |`,
      `| 2 | ${fmt(median(rates.two), 0)} | ${fmt(Math.min(...rates.two), 0)} – ${fmt(Math.max(...rates.two), 0)} |`,
      '',
      `Two processes / one, turn by turn: **${spread(ratios)}x** (median, range); HTTP errors: ${errors}.`,
    ].join('\n');
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : Promise.resolve())),
    );
    await db.stop();
  }
}
