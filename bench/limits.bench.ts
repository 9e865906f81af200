import { DEFAULT_LIMITS } from '../api/src/config';
import { benchDatabase, benchServer, benchToken, fmt } from './harness';
import { mlAccounts } from './scoring.bench';

/**
 * The worst accepted query: the most expensive document the default limits
 * let through. Every account the limit allows (10,000) in one fitScores, with
 * the heaviest fields (explanations, dimensions with their hits, personas and
 * use cases with their lists) added until one more field would pass the cost
 * limit. The benchmark checks it is accepted and that one field more is
 * refused, then times it (median and spread over several runs).
 */
const HEAVY: [string, number][] = [
  // [selection, fields it counts]
  ['explanation { id kind name expression held points dimension missingAttributes }', 9],
  ['dimensions { name score max hits { id name expression points reason } }', 10],
  ['personas { name jobTitles goals painPoints challenges objections channels focus decisionCriteria }', 10],
  ['useCases { name painPoints useCases keyMetrics examples competitors characteristics }', 8],
  ['disqualifiers { id name expression reason }', 5],
  ['triggers { id name expression reason }', 5],
  ['accountKey', 1],
  ['score', 1],
  ['maxScore', 1],
  ['disqualified', 1],
  ['missingAttributes', 1],
  ['icpSlug', 1],
  ['icpVersion', 1],
  ['tier { id name rank }', 4],
  ['band { name minScore action }', 4],
];

/** Fields per account the cost limit allows: cost = 1 + n + n × fields. */
function selection(accounts: number, extra = 0): { fields: string; perAccount: number } {
  const budget = Math.floor((DEFAULT_LIMITS.maxCost - 1 - accounts) / accounts) + extra;
  const parts: string[] = [];
  let used = 0;
  for (const [sel, n] of HEAVY) {
    if (used + n > budget) continue;
    parts.push(sel);
    used += n;
  }
  // Fill what is left with a cheap field under new aliases (each one counts like any other).
  for (let i = 0; used < budget; i++, used++) parts.push(`s${i}: score`);
  return { fields: parts.join(' '), perAccount: used };
}

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  body: { data?: unknown; errors?: { message: string }[]; extensions?: { cost?: { requested: number; accounts: number } } };
}

async function post(url: string, token: string, query: string, variables: object): Promise<Answer> {
  const body = JSON.stringify({ query, variables });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { status: res.status, ms, bytes: text.length, body: JSON.parse(text) };
}

export async function limitsBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_limits');
  const { server, url } = await benchServer(db.ds);
  try {
    const token = await benchToken(url);
    const n = DEFAULT_LIMITS.maxAccounts;
    const accounts = mlAccounts(n);
    const worst = selection(n);
    const query = `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { ${worst.fields} } }`;
    const first = await post(url, token, query, { as: accounts });
    if (first.status !== 200 || first.body.errors) throw new Error(`the worst accepted query is refused: ${JSON.stringify(first.body.errors)}`);
    const cost = first.body.extensions!.cost!;
    const over = await post(url, token, `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { ${selection(n, 1).fields} } }`, { as: accounts });
    if (over.status !== 400) throw new Error(`one field more than the worst accepted query is not refused (HTTP ${over.status})`);
    const runs: Answer[] = [];
    for (let i = 0; i < 5; i++) runs.push(await post(url, token, query, { as: accounts }));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    return [
      '## Worst accepted query (issue 12)',
      '',
      `The most expensive document the default limits let through: one \`fitScores\` over ${n.toLocaleString('en')} ml-inference accounts (the account limit) selecting ${worst.perAccount} fields per account, the heaviest first (explanation, dimensions with hits, personas, use cases…), so that one field more passes the cost limit of ${DEFAULT_LIMITS.maxCost.toLocaleString('en')}. The server runs in the benchmark's process (NODE_ENV=production, an admin session).`,
      '',
      '| what | figure |',
      '|---|---|',
      `| cost (extensions.cost.requested) | ${cost.requested.toLocaleString('en')} of ${DEFAULT_LIMITS.maxCost.toLocaleString('en')} |`,
      `| accounts scored | ${cost.accounts.toLocaleString('en')} of ${DEFAULT_LIMITS.maxAccounts.toLocaleString('en')} |`,
      `| time, median of ${ms.length} runs | ${fmt(ms[Math.floor(ms.length / 2)], 0)} ms |`,
      `| time, fastest – slowest | ${fmt(ms[0], 0)} – ${fmt(ms[ms.length - 1], 0)} ms |`,
      `| response size | ${fmt(runs[0].bytes / 2 ** 20, 1)} MiB |`,
      `| the same with one field more: refused (HTTP 400) in | ${fmt(over.ms, 0)} ms (first request of that text: parsed, validated, analysed) |`,
    ].join('\n');
  } finally {
    await server.stop();
    await new Promise((r) => server.httpServer.close(r));
    await db.stop();
  }
}
