import { Engine } from 'json-rules-engine';
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { type ZenDecision, ZenEngine } from '@gorules/zen-engine';
import { readYaml } from '../api/src/demo/load-demo';
import { checkerFor, loadCel } from '../api/src/scoring-engine/cel';
import { type AccountInput, compileModel, type CompiledModel, type FitScore } from '../api/src/scoring-engine/engine';
import { snapshotFromFile } from '../api/src/scoring-engine/from-file';

/**
 * The engine's peers in the engine benchmark (issue 18): the same ml-inference model run by other rules engines a
 * user could pick instead, each computing the four outcomes every client reads (tier, disqualified, score, band).
 */

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

export async function mlModel(): Promise<{ model: CompiledModel; snapshot: Row; catalogue: Row[] }> {
  const catalogue = (readYaml('workspace.yaml') as { attributes: Row[] }).attributes;
  const snapshot = snapshotFromFile(readYaml('ml-inference.icp.yaml') as Row, catalogue);
  const model = compileModel(
    { icpId: snapshot.icp.id, icpSlug: 'ml-inference', version: 1, snapshot },
    await checkerFor(catalogue as never),
  );
  return { model, snapshot, catalogue };
}

export interface Outcome {
  tier: number | null;
  disqualified: boolean;
  score: number;
  band: string | null;
}

/** The four outcomes the peers compute, from a full score (the engine's or the hand-written one). */
export function outcomeOf(s: Pick<FitScore, 'tier' | 'disqualified' | 'score' | 'band'>): Outcome {
  return { tier: s.tier?.rank ?? null, disqualified: s.disqualified, score: s.score, band: s.band?.name ?? null };
}

/** The score from each dimension's points: clamped to the dimension's range and rounded as the engine rounds. */
function scoreOf(sums: number[], dims: Row[]): number {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return round(sums.reduce((s, v, i) => s + round(Math.min(Math.max(v, 0), dims[i].max)), 0));
}

/** The engine's algorithm (tiers in rank order, every disqualifier, trigger and rule, bands) over any CEL evaluator. */
function overEvaluator(snapshot: Row, compile: (e: string) => (ctx: object) => unknown): (a: Row) => Outcome {
  const tiers = [...snapshot.tiers]
    .sort((a: Row, b: Row) => a.rank - b.rank)
    .filter((t: Row) => t.criteria)
    .map((t: Row) => ({ rank: t.rank, f: compile(t.criteria) }));
  const disq = snapshot.disqualifiers.filter((d: Row) => d.expression).map((d: Row) => compile(d.expression));
  const trig = snapshot.triggerEvents.filter((d: Row) => d.expression).map((d: Row) => compile(d.expression));
  const dims = snapshot.scoringDimensions as Row[];
  const rules = snapshot.scoringRules.map((r: Row) => ({
    dim: dims.findIndex((d) => d.id === r.dimensionId),
    cond: compile(r.condition),
    pts: compile(r.points),
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
    const score = scoreOf(sums, dims);
    // A disqualified account has no band (issue 14).
    const band = disqualified ? null : (bands.find((b: Row) => b.minScore <= score)?.name ?? null);
    return { tier, disqualified, score, band };
  };
}

/** @marcbachmann/cel-js's own evaluator (a tree-walking interpreter), each expression parsed once. */
export async function celInterpreted(snapshot: Row, catalogue: Row[]): Promise<(a: Row) => Outcome> {
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
  return overEvaluator(snapshot, (e) => {
    const f = env.parse(e) as unknown as (ctx: object) => unknown;
    return (ctx) => {
      try {
        return f(ctx);
      } catch {
        return undefined; // a missing attribute: the check does not hold
      }
    };
  });
}

/** @bufbuild/cel: each expression parsed and planned once, the plan evaluated per account. */
export function bufCel(snapshot: Row): (a: Row) => Outcome {
  const env = celEnv();
  return overEvaluator(snapshot, (e) => {
    const f = plan(env, parse(e)) as (ctx: object) => unknown;
    return (ctx) => {
      const r = f(ctx);
      return isCelError(r) ? undefined : r; // a missing attribute is an error value: the check does not hold
    };
  });
}

/** CEL trees of the subset ml-inference uses, for engines that have no CEL. */
async function celTree(): Promise<(e: string) => any> {
  const { Environment } = await loadCel();
  const env = new Environment({ homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: true });
  return (e) => (env.parse(e) as any).ast;
}
const factOf = (n: any): string | undefined => (n.op === '.' && n.args[0].args === 'account' ? n.args[1] : undefined);
const literalOf = (n: any): any =>
  n.op === 'value'
    ? typeof n.args === 'bigint'
      ? Number(n.args)
      : n.args
    : n.op === 'list'
      ? n.args.map(literalOf)
      : undefined;
const COMPARISONS = ['>=', '>', '<', '<=', '==', '!='];

/** The same rules for json-rules-engine, translated from the CEL trees. */
export async function jsonRulesEngine(snapshot: Row): Promise<(a: Row) => Promise<Outcome>> {
  const tree = await celTree();
  const toCondition = (node: any): any => {
    const [l, r] = Array.isArray(node.args) ? node.args : [];
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
        return { fact: factOf(node), operator: 'equal', value: true };
      case 'value':
        return { fact: '__always', operator: 'equal', value: true };
      case 'in':
        return factOf(l)
          ? { fact: factOf(l), operator: 'in', value: literalOf(r) }
          : { fact: factOf(r), operator: 'contains', value: literalOf(l) };
      default:
        if (cmp[node.op]) return { fact: factOf(l), operator: cmp[node.op], value: literalOf(r) };
        throw new Error(`no json-rules-engine form for ${node.op}`);
    }
  };
  const cond = (e: string) => {
    const c = toCondition(tree(e));
    return c.all || c.any ? c : { all: [c] };
  };
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const t of snapshot.tiers.filter((x: Row) => x.criteria))
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
    const score = scoreOf(sums, dims);
    const disqualified = events.some((e) => e.type === 'disqualifier');
    return {
      tier: ranks.length ? Math.min(...ranks) : null,
      disqualified,
      score,
      band: disqualified ? null : (bands.find((b: Row) => b.minScore <= score)?.name ?? null),
    };
  };
}

/**
 * GoRules ZEN (Rust, through its Node binding): ml-inference as one decision graph (JDM) built from the snapshot.
 * Tiers are a first-hit decision table in rank order; disqualifiers, triggers and each dimension's clamped points
 * an expression node; bands a first-hit decision table over (disqualified, score). ZEN's comparisons fail on a
 * missing (null) value, so each one is guarded: a missing attribute makes the check not hold, as in the engine.
 */
export async function zenDecision(
  snapshot: Row,
): Promise<{ evaluate: (a: Row) => Promise<Outcome>; jdm: Row; decision: ZenDecision }> {
  const tree = await celTree();
  const lit = (n: any) => {
    const v = literalOf(n);
    if (v === undefined) throw new Error(`no ZEN form for ${n.op}`);
    return JSON.stringify(v);
  };
  const cond = (node: any): string => {
    const [l, r] = Array.isArray(node.args) ? node.args : [];
    if (node.op === '&&') return `(${cond(l)} and ${cond(r)})`;
    if (node.op === '||') return `(${cond(l)} or ${cond(r)})`;
    if (node.op === 'value') return lit(node);
    if (node.op === '.') return `account.${factOf(node)} == true`;
    if (node.op === 'in' && factOf(l)) return `account.${factOf(l)} in ${lit(r)}`;
    if (node.op === 'in') return `(account.${factOf(r)} != null and ${lit(l)} in account.${factOf(r)})`;
    if (COMPARISONS.includes(node.op) && factOf(l))
      return `(account.${factOf(l)} != null and account.${factOf(l)} ${node.op} ${lit(r)})`;
    throw new Error(`no ZEN form for ${node.op}`);
  };
  const value = (e: string) => {
    const node = tree(e);
    return factOf(node) ? `(account.${factOf(node)} ?? 0)` : lit(node);
  };
  const node = (id: string, type: string, content?: Row) => ({
    id,
    type,
    name: id,
    position: { x: 0, y: 0 },
    ...(content ? { content } : {}),
  });
  const tiers = [...snapshot.tiers].sort((a: Row, b: Row) => a.rank - b.rank).filter((t: Row) => t.criteria);
  const dims = [...snapshot.scoringDimensions].sort((a: Row, b: Row) => a.position - b.position) as Row[];
  const disq = snapshot.disqualifiers.filter((d: Row) => d.expression).map((d: Row) => cond(tree(d.expression)));
  const expressions = [
    { key: 'disqualified', value: disq.length ? disq.join(' or ') : 'false' },
    ...snapshot.triggerEvents
      .filter((t: Row) => t.expression)
      .map((t: Row, i: number) => ({ key: `trigger${i}`, value: cond(tree(t.expression)) })),
    ...dims.map((d, i) => {
      const points = snapshot.scoringRules
        .filter((r: Row) => r.dimensionId === d.id)
        .map((r: Row) => `(${cond(tree(r.condition))} ? ${value(r.points)} : 0)`);
      return { key: `dimension${i}`, value: `max([min([${points.join(' + ') || '0'}, ${d.max}]), 0])` };
    }),
    { key: 'score', value: dims.map((_, i) => `$.dimension${i}`).join(' + ') || '0' },
  ].map((x, i) => ({ id: `e${i}`, ...x }));
  const bands = [...snapshot.actionBands].sort((a: Row, b: Row) => b.minScore - a.minScore);
  const jdm = {
    nodes: [
      node('input', 'inputNode'),
      node('tiers', 'decisionTableNode', {
        hitPolicy: 'first',
        inputs: [{ id: 'criteria', name: 'criteria', field: '' }],
        outputs: [{ id: 'rank', name: 'tier', field: 'tier' }],
        rules: tiers.map((t: Row, i: number) => ({
          _id: `t${i}`,
          criteria: cond(tree(t.criteria)),
          rank: `${t.rank}`,
        })),
      }),
      node('checks', 'expressionNode', { expressions }),
      node('bands', 'decisionTableNode', {
        hitPolicy: 'first',
        inputs: [
          { id: 'dq', name: 'disqualified', field: 'disqualified' },
          { id: 'score', name: 'score', field: 'score' },
        ],
        outputs: [{ id: 'band', name: 'band', field: 'band' }],
        rules: [
          { _id: 'b', dq: 'true', score: '', band: 'null' },
          ...bands.map((b: Row, i: number) => ({
            _id: `b${i}`,
            dq: '',
            score: `>= ${b.minScore}`,
            band: lit({ op: 'value', args: b.name }),
          })),
        ],
      }),
      node('output', 'outputNode'),
    ],
    edges: [
      ['input', 'tiers'],
      ['input', 'checks'],
      ['checks', 'bands'],
      ['tiers', 'output'],
      ['checks', 'output'],
      ['bands', 'output'],
    ].map(([sourceId, targetId]) => ({ id: `${sourceId}-${targetId}`, sourceId, targetId, type: 'edge' })),
  };
  const decision = new ZenEngine().createDecision(jdm);
  return {
    jdm,
    decision,
    evaluate: async (attrs) => {
      const { result } = await decision.evaluate({ account: attrs });
      return {
        tier: result.tier ?? null,
        disqualified: result.disqualified,
        score: result.score,
        band: result.band ?? null,
      };
    },
  };
}
