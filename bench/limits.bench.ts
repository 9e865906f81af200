import os from 'node:os';
import { type OperationDefinitionNode, parse } from 'graphql';
import { evaluate, shapeOf } from '../api/src/auth/operation-shape';
import { DEFAULT_LIMITS } from '../api/src/config';
import { getSchema } from '../api/src/graphql/schema';
import { benchDatabase, benchServer, benchToken, fmt } from './harness';
import { mlAccounts } from './scoring.bench';

/**
 * The worst accepted query: the most expensive document the default limits
 * let through. Every account the limit allows (10,000) in one fitScores, with
 * the heaviest selections (explanations, personas, use cases…) added while the
 * cost stays within its limit, then single fields up to it. The benchmark
 * checks it is accepted and that one field more is refused, then times it
 * (median and spread over several runs).
 */
const HEAVY = [
  'explanation { partId kind name expression held points dimension missingAttributes }',
  'explanation { partId name expression held }',
  'personas { name jobTitles goals painPoints }',
  'useCases { name painPoints useCases keyMetrics }',
  'dimensions { name score max }',
  'disqualifiers { name reason }',
  'triggers { name reason }',
  'tier { id name rank }',
  'band { name minScore action }',
  ...['accountKey', 'score', 'maxScore', 'disqualified', 'missingAttributes', 'icpSlug', 'icpVersion'],
];

const queryOf = (fields: string[]) =>
  `query($as: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $as) { ${fields.join(' ')} } }`;

/** The cost the server will compute for these fields over n accounts (the same analysis, run here). */
async function costOf(fields: string[], n: number): Promise<number> {
  const document = parse(queryOf(fields));
  const shape = shapeOf(document, document.definitions[0] as OperationDefinitionNode, await getSchema());
  return evaluate(shape.cost, { as: new Array(n) }, shape.defaults);
}

/** The heaviest selections first, each while the cost stays within the limit; then single fields (aliases) up to it. */
async function worstFields(n: number): Promise<string[]> {
  const fields: string[] = [];
  for (const sel of HEAVY) if ((await costOf([...fields, sel], n)) <= DEFAULT_LIMITS.maxCost) fields.push(sel);
  for (let i = 0; (await costOf([...fields, `s${i}: score`], n)) <= DEFAULT_LIMITS.maxCost; i++)
    fields.push(`s${i}: score`);
  return fields;
}

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  body: {
    data?: unknown;
    errors?: { message: string }[];
    extensions?: { cost?: { requested: number; accounts: number } };
  };
}

async function post(url: string, token: string, query: string, variables: object): Promise<Answer> {
  const body = JSON.stringify({ query, variables });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { status: res.status, ms, bytes: text.length, body: JSON.parse(text) };
}

export async function limitsBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_limits');
  const { server, url } = await benchServer(db.ds);
  try {
    const token = await benchToken(url);
    // The heaviest selections fit only under fewer accounts: try several counts, keep the slowest accepted.
    let worstCase: { n: number; worst: string[]; ms: number } | undefined;
    for (const count of [DEFAULT_LIMITS.maxAccounts, 5000, 4000, 2000, 1000]) {
      const fields = await worstFields(count);
      const trial = await post(url, token, queryOf(fields), { as: mlAccounts(count) });
      if (trial.status !== 200 || trial.body.errors)
        throw new Error(`the worst accepted query is refused: ${JSON.stringify(trial.body.errors)}`);
      if (!worstCase || trial.ms > worstCase.ms) worstCase = { n: count, worst: fields, ms: trial.ms };
    }
    const { n, worst } = worstCase!;
    const accounts = mlAccounts(n);
    const query = queryOf(worst);
    const first = await post(url, token, query, { as: accounts });
    if (first.status !== 200 || first.body.errors)
      throw new Error(`the worst accepted query is refused: ${JSON.stringify(first.body.errors)}`);
    const cost = first.body.extensions!.cost!;
    const over = await post(url, token, queryOf([...worst, 'extra: score']), { as: accounts });
    if (over.status !== 400)
      throw new Error(`one field more than the worst accepted query is not refused (HTTP ${over.status})`);
    const runs: Answer[] = [];
    for (let i = 0; i < 5; i++) runs.push(await post(url, token, query, { as: accounts }));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    return [
      '## Worst accepted query (issue 12)',
      '',
      `The most expensive document the default limits let through: one \`fitScores\` over ${n.toLocaleString('en')} ml-inference accounts selecting \`${worst.join(' ')}\` for each account: the heaviest selections first, then single fields until one more would pass the cost limit of ${DEFAULT_LIMITS.maxCost.toLocaleString('en')}; the slowest of 10,000, 5,000, 4,000, 2,000 and 1,000 accounts built that way. The server runs in the benchmark's process (NODE_ENV=production, an admin session).`,
      '',
      '| what | figure |',
      '|---|---|',
      `| cost (extensions.cost.requested) | ${cost.requested.toLocaleString('en')} of ${DEFAULT_LIMITS.maxCost.toLocaleString('en')} |`,
      `| accounts scored | ${cost.accounts.toLocaleString('en')} of ${DEFAULT_LIMITS.maxAccounts.toLocaleString('en')} |`,
      `| time, median of ${ms.length} runs | ${fmt(ms[Math.floor(ms.length / 2)], 0)} ms |`,
      `| time, fastest – slowest | ${fmt(ms[0], 0)} – ${fmt(ms[ms.length - 1], 0)} ms |`,
      `| response size | ${fmt(runs[0].bytes / 2 ** 20, 1)} MiB |`,
      `| the same with one field more: refused (HTTP 400) in | ${fmt(over.ms, 0)} ms (first request of that text: parsed, validated, analysed) |`,
      `| machine load (1-minute load average at the end) | ${fmt(os.loadavg()[0], 1)} on ${os.cpus().length} cores |`,
    ].join('\n');
  } finally {
    await server.stop();
    await new Promise((r) => server.httpServer.close(r));
    await db.stop();
  }
}
