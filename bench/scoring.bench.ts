import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { Engine } from 'json-rules-engine';
import { readYaml } from '../api/src/demo/load-demo';
import { checkerFor, loadCel } from '../api/src/scoring-engine/cel';
import { type AccountInput, compileModel, type CompiledModel } from '../api/src/scoring-engine/engine';
import { snapshotFromFile } from '../api/src/scoring-engine/from-file';
import { BENCH_HISTORY_KEY, benchDatabase, benchToken, fmt, gql } from './harness';

type Row = Record<string, any>;

/** Accounts spread over every tier, band and disqualifier of ml-inference; one in ten lacks an attribute. */
export function mlAccounts(n: number): AccountInput[] {
  let seed = 7;
  const r = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const signals = [
    'funding_round',
    'new_ml_leader',
    'ai_product_launch',
    'scaling_challenges',
    'cost_complaints',
    'regulatory_change',
  ];
  return Array.from({ length: n }, (_, i) => {
    const a: Row = {
      annualRevenueUsd: pick([5e6, 2e7, 6e7, 3e8, 8e8, 2e9, 1.5e10]),
      mlMaturity: pick(['none', 'early', 'growing', 'growing', 'dedicated', 'dedicated']),
      inferencesPerDay: pick([50, 500, 5e3, 5e4, 2e6, 5e7]),
      annualBudgetUsd: pick([5e3, 3e4, 1.5e5, 4e5, 8e5, 2e6]),
      industry: pick([
        'Financial Services',
        'FinTech',
        'Healthcare',
        'E-commerce',
        'Retail',
        'Media',
        'Gaming',
        'SaaS',
        'Government',
      ]),
      deployment: pick(['cloud', 'cloud', 'cloud', 'hybrid', 'on-premise-only']),
      lookingForConsulting: r() < 0.1,
      signals: signals.filter(() => r() < 0.3),
      useCaseFit: Math.round(r() * 10),
      commercialFit: Math.round(r() * 10),
      technicalFit: Math.round(r() * 10),
      strategicValue: Math.round(r() * 10),
    };
    if (i % 10 === 0) delete a[pick(Object.keys(a))];
    return { key: `acct-${i}`, attributes: a };
  });
}

async function mlModel(): Promise<{ model: CompiledModel; snapshot: Row; catalogue: Row[] }> {
  const catalogue = (readYaml('workspace.yaml') as { attributes: Row[] }).attributes;
  const snapshot = snapshotFromFile(readYaml('ml-inference.icp.yaml') as Row, catalogue);
  const model = compileModel(
    { icpId: snapshot.icp.id, icpSlug: 'ml-inference', version: 1, snapshot },
    await checkerFor(catalogue as never),
  );
  return { model, snapshot, catalogue };
}

interface Outcome {
  tier: number | null;
  disqualified: boolean;
  score: number;
  band: string | null;
}

/** The same algorithm over cel-js's own evaluator (a tree-walking interpreter), for comparison. */
async function celInterpreted(snapshot: Row, catalogue: Row[]): Promise<(a: Row) => Outcome> {
  const { Environment } = await loadCel();
  const types: Record<string, string> = {
    INT: 'int',
    NUMBER: 'double',
    STRING: 'string',
    BOOL: 'bool',
    STRING_LIST: 'list<string>',
  };
  const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable({
    name: 'account',
    schema: Object.fromEntries(catalogue.map((c) => [c.name, types[c.type]])),
  });
  const ev = (e: string) => {
    const f = env.parse(e) as unknown as (ctx: object) => unknown;
    return (ctx: object) => {
      try {
        return f(ctx);
      } catch {
        return undefined; // a missing attribute: the check does not hold
      }
    };
  };
  const tiers = [...snapshot.tiers]
    .sort((a: Row, b: Row) => a.rank - b.rank)
    .map((t: Row) => ({ rank: t.rank, f: ev(t.criteria) }));
  const disq = snapshot.disqualifiers.filter((d: Row) => d.expression).map((d: Row) => ev(d.expression));
  const trig = snapshot.triggerEvents.filter((d: Row) => d.expression).map((d: Row) => ev(d.expression));
  const dims = snapshot.scoringDimensions as Row[];
  const rules = snapshot.scoringRules.map((r: Row) => ({
    dim: dims.findIndex((d) => d.id === r.dimensionId),
    cond: ev(r.condition),
    pts: ev(r.points),
  }));
  const bands = [...snapshot.actionBands].sort((a: Row, b: Row) => b.minScore - a.minScore);
  return (attrs) => {
    const ctx = { account: attrs };
    let tier: number | null = null;
    for (const t of tiers)
      if (t.f(ctx) === true) {
        tier = t.rank;
        break;
      }
    let disqualified = false;
    for (const d of disq) if (d(ctx) === true) disqualified = true;
    for (const t of trig) t(ctx);
    const sums = dims.map(() => 0);
    for (const r of rules) {
      if (r.cond(ctx) !== true) continue;
      const p = r.pts(ctx);
      if (typeof p === 'number') sums[r.dim] += p;
      else if (typeof p === 'bigint') sums[r.dim] += Number(p);
    }
    const score = sums.reduce((s, v, i) => s + Math.min(Math.max(v, 0), dims[i].max), 0);
    // A disqualified account has no band (issue 14).
    const band = disqualified ? null : (bands.find((b: Row) => b.minScore <= score)?.name ?? null);
    return { tier, disqualified, score, band };
  };
}

/** The same rules for json-rules-engine, translated from the CEL trees (the subset ml-inference uses). */
async function jsonRulesEngine(snapshot: Row): Promise<(a: Row) => Promise<Outcome>> {
  const { Environment } = await loadCel();
  const env = new Environment({ homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: true });
  const toCondition = (node: any): any => {
    const [l, r] = Array.isArray(node.args) ? node.args : [];
    const fact = (n: any) => (n.op === '.' && n.args[0].args === 'account' ? n.args[1] : undefined);
    const lit = (n: any) =>
      n.op === 'value'
        ? typeof n.args === 'bigint'
          ? Number(n.args)
          : n.args
        : n.op === 'list'
          ? n.args.map(lit)
          : undefined;
    const cmp: Record<string, string> = {
      '>=': 'greaterThanInclusive',
      '>': 'greaterThan',
      '<': 'lessThan',
      '<=': 'lessThanInclusive',
      '==': 'equal',
      '!=': 'notEqual',
    };
    switch (node.op) {
      case '&&':
        return { all: [toCondition(l), toCondition(r)] };
      case '||':
        return { any: [toCondition(l), toCondition(r)] };
      case '.':
        return { fact: fact(node), operator: 'equal', value: true };
      case 'value':
        return { fact: '__always', operator: 'equal', value: true };
      case 'in':
        return fact(l)
          ? { fact: fact(l), operator: 'in', value: lit(r) }
          : { fact: fact(r), operator: 'contains', value: lit(l) };
      default:
        if (cmp[node.op]) return { fact: fact(l), operator: cmp[node.op], value: lit(r) };
        throw new Error(`no json-rules-engine form for ${node.op}`);
    }
  };
  const cond = (e: string) => {
    const c = toCondition((env.parse(e) as any).ast);
    return c.all || c.any ? c : { all: [c] };
  };
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const t of snapshot.tiers)
    engine.addRule({ conditions: cond(t.criteria), event: { type: 'tier', params: { rank: t.rank } } });
  for (const d of snapshot.disqualifiers.filter((x: Row) => x.expression))
    engine.addRule({ conditions: cond(d.expression), event: { type: 'disqualifier' } });
  for (const d of snapshot.triggerEvents.filter((x: Row) => x.expression))
    engine.addRule({ conditions: cond(d.expression), event: { type: 'trigger' } });
  const dims = snapshot.scoringDimensions as Row[];
  const rules = snapshot.scoringRules as Row[];
  rules.forEach((r, i) => engine.addRule({ conditions: cond(r.condition), event: { type: 'rule', params: { i } } }));
  const bands = [...snapshot.actionBands].sort((a: Row, b: Row) => b.minScore - a.minScore);
  return async (attrs) => {
    const { events } = await engine.run({ ...attrs, __always: true });
    const ranks = events.filter((e) => e.type === 'tier').map((e) => e.params!.rank as number);
    const sums = dims.map(() => 0);
    for (const e of events.filter((x) => x.type === 'rule')) {
      const r = rules[e.params!.i as number];
      // Points are a fact's value: json-rules-engine has no expressions, so they are read after the run.
      const p = attrs[r.points.replace('account.', '')];
      if (typeof p === 'number') sums[dims.findIndex((d) => d.id === r.dimensionId)] += p;
    }
    const score = sums.reduce((s, v, i) => s + Math.min(Math.max(v, 0), dims[i].max), 0);
    const disqualified = events.some((e) => e.type === 'disqualifier');
    return {
      tier: ranks.length ? Math.min(...ranks) : null,
      disqualified,
      score,
      band: disqualified ? null : (bands.find((b: Row) => b.minScore <= score)?.name ?? null),
    };
  };
}

async function rate(n: number, fn: (i: number) => unknown, minMs = 2000, isAsync = false): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    if (isAsync) for (let i = 0; i < n; i++) await fn(i);
    else for (let i = 0; i < n; i++) fn(i);
    done += n;
  }
  return done / ((performance.now() - t0) / 1000);
}

export async function engineComparison(): Promise<string[]> {
  const { model, snapshot, catalogue } = await mlModel();
  const accounts = mlAccounts(100_000);
  const cel = await celInterpreted(snapshot, catalogue);
  const jre = await jsonRulesEngine(snapshot);
  // Same answers first: the comparison is only fair if all three compute the same thing.
  let mismatches = 0;
  for (const a of accounts.slice(0, 2000)) {
    const ours = model.score(a);
    const mine: Outcome = {
      tier: ours.tier?.rank ?? null,
      disqualified: ours.disqualified,
      score: ours.score,
      band: ours.band?.name ?? null,
    };
    const theirs = [cel(a.attributes), await jre(a.attributes)];
    for (const o of theirs) if (JSON.stringify(o) !== JSON.stringify(mine)) mismatches++;
  }
  for (let w = 0; w < 3; w++) for (const a of accounts) model.score(a); // warm-up
  const oursRate = await rate(accounts.length, (i) => model.score(accounts[i]));
  const fullRate = await rate(accounts.length, (i) => {
    const s = model.score(accounts[i]);
    return s.dimensions.length + s.disqualifiers.length + s.triggers.length + s.explanation.length;
  });
  const celRate = await rate(20_000, (i) => cel(accounts[i].attributes));
  const jreRate = await rate(5_000, (i) => jre(accounts[i].attributes), 2000, true);
  return [
    '### The engine in-process (ml-inference: 3 tiers, 5 evaluated disqualifiers, 14 triggers, 4 rules)',
    '',
    `100,000 generated accounts over every tier, band and disqualifier (one in ten lacks an attribute). Before timing, the three implementations were checked to give the same tier, disqualification, score and band on 2,000 of them: ${mismatches} mismatches.`,
    '',
    '| implementation | accounts/s | vs interpreted CEL |',
    '|---|---|---|',
    `| this engine (CEL compiled to one generated JS function per model), \`score()\` | **${fmt(oursRate, 0)}** | ${fmt(oursRate / celRate, 1)}x |`,
    `| this engine, also reading every list (dimensions, hits, triggers, explanation) | ${fmt(fullRate, 0)} | ${fmt(fullRate / celRate, 1)}x |`,
    `| @marcbachmann/cel-js, its evaluator (interpreted) | ${fmt(celRate, 0)} | 1.0x |`,
    `| json-rules-engine, same rules | ${fmt(jreRate, 0)} | ${fmt(jreRate / celRate, 2)}x |`,
    '',
    'Targets: ≥ 1,000,000 accounts/s and ≥ 3x the interpreted CEL.',
  ];
}

export function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  const { DATABASE_URL: _u, ...parent } = process.env;
  return spawn(process.execPath, [script], { env: { ...parent, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

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

export const TURNS = 5;
export const SLICE_SECONDS = 2;

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

async function httpComparison(): Promise<string[]> {
  const db = await benchDatabase('icp_bench_scoring');
  const apiPort = 4700 + Math.floor(Math.random() * 200);
  const helloPort = apiPort + 1;
  const offPort = apiPort + 2;
  const main = path.resolve(__dirname, '../api/src/main.js');
  const env = {
    DATABASE_URL: db.ownerUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    AUTH_SECRET: 'bench-secret-that-is-long-enough-000000',
    HISTORY_SIGNING_KEY: BENCH_HISTORY_KEY,
  };
  // Quotas on, as in production: counting every request and account in PostgreSQL, high enough never to refuse the bench.
  const api = spawnNode(main, {
    ...env,
    PORT: String(apiPort),
    QUOTA_REQUESTS_PER_MINUTE: String(BENCH_QUOTA),
    QUOTA_ACCOUNTS_PER_MINUTE: String(BENCH_QUOTA),
  });
  const hello = spawnNode(path.resolve(__dirname, 'hello-server.js'), { PORT: String(helloPort) });
  let off: ChildProcess | undefined;
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
      const answer = (await res.json()) as { errors?: unknown[] };
      if (answer.errors) throw new Error(`the benchmark's request fails: ${JSON.stringify(answer.errors)}`);
    }
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
    await load(`http://127.0.0.1:${apiPort}/graphql`, batch, 2, 3, key);
    const b = merged([await load(`http://127.0.0.1:${apiPort}/graphql`, batch, 2, 10, key)]);
    // What PostgreSQL counted in the current 60 s window (the loads above took longer than one).
    const counted = await quotaRows(db.ownerUrl);
    const errors = (r: Merged) => r.errors;
    return [
      '### Over HTTP (server in its own process, autocannon in another, same machine)',
      '',
      '| what | requests/s | p50 | p99 | errors |',
      '|---|---|---|---|---|',
      `| bare Apollo Server 5 answering \`{ hello }\` (10 connections) | ${fmt(h.rps, 0)} | ${h.p50} ms | ${h.p99} ms | ${errors(h)} |`,
      `| \`fitScore\` (ml-inference, 50 different accounts in turn, 10 connections), quotas on | ${fmt(f.rps, 0)} | ${f.p50} ms | ${f.p99} ms | ${errors(f)} |`,
      `| \`fitScore\` as above, on a process with quotas off | ${fmt(o.rps, 0)} | ${o.p50} ms | ${o.p99} ms | ${errors(o)} |`,
      `| \`fitScores\` with 1,000 accounts per call (2 connections), quotas on | ${fmt(b.rps, 1)} | ${b.p50} ms | ${b.p99} ms | ${errors(b)} |`,
      '',
      `- The first three measured in ${TURNS} turns of ${SLICE_SECONDS} s each, one after the other (requests/s over all turns; p50: the turns' median; p99: the worst turn's).`,
      `- fitScore (quotas on) / bare Apollo: **${fmt(f.rps / h.rps, 2)}** (target ≥ 0.5); fitScore p99 **${f.p99} ms** (target ≤ 15 ms). Quotas off / bare Apollo: ${fmt(o.rps / h.rps, 2)}.`,
      `- Quotas on: QUOTA_REQUESTS_PER_MINUTE and QUOTA_ACCOUNTS_PER_MINUTE = ${BENCH_QUOTA.toLocaleString('en')}, flushed every 100 ms; PostgreSQL's rate_limit held at the end: ${counted}.`,
      `- fitScores end to end: **${fmt(b.rps * 1000, 0)} accounts/s** (target ≥ 50,000).`,
      '- The API runs with NODE_ENV=production and request logging on (level warn); every request carries a CLIENT API key, checked (from the in-memory cache) and authorized like any client tool.',
    ];
  } finally {
    api.kill('SIGTERM');
    hello.kill('SIGTERM');
    off?.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    if (off && off.exitCode === null) await new Promise((r) => off!.once('exit', r));
    await db.stop();
  }
}

export async function scoringBench(): Promise<string> {
  const engine = await engineComparison();
  const http = await httpComparison();
  return ['## Fit scoring (issue 4)', '', ...engine, '', ...http].join('\n');
}
