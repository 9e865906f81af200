import { isDeepStrictEqual } from 'node:util';
import type { AccountInput } from '../api/src/scoring-engine/engine';
import { fmt, summarize } from './harness';
import { handWrittenMlInference } from './ml-inference.hand';
import {
  bufCel,
  celInterpreted,
  jsonRulesEngine,
  mlAccounts,
  mlModel,
  type Outcome,
  outcomeOf,
  zenDecision,
} from './peers';

/** How long a figure is measured: the full run, or `--quick` for routine checks (under a minute). */
export interface BenchOptions {
  quick?: boolean;
}

const FULL = { accounts: 100_000, rounds: 5, sliceMs: 1000, warmMs: 500 };
const QUICK = { accounts: 20_000, rounds: 3, sliceMs: 250, warmMs: 150 };
const PEER_CHECKS = 2000;

type Mode = 'sync' | 'async' | 'batch';
interface Contender {
  name: string;
  /** The rate it is compared with: the hand-written `score()`, or the hand-written function with every list read. */
  against: 'score' | 'lists';
  mode: Mode;
  run: (a: AccountInput) => unknown;
}

/** Something read from every result, so that no work can be optimised away. */
const sink = { nulls: 0 };
const consume = (x: unknown) => {
  if (x === null) sink.nulls++;
};

/** Accounts/s of `c` over `ms`, continuing through the accounts from `start` (returns where it stopped). */
async function measure(c: Contender, accounts: AccountInput[], start: number, ms: number): Promise<[number, number]> {
  let i = start;
  let done = 0;
  const n = accounts.length;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (c.mode === 'sync')
      for (let k = 0; k < 1000; k++) {
        consume(c.run(accounts[i]));
        if (++i === n) i = 0;
      }
    else if (c.mode === 'async')
      for (let k = 0; k < 1000; k++) {
        consume(await c.run(accounts[i]));
        if (++i === n) i = 0;
      }
    else {
      const batch: AccountInput[] = new Array(1000);
      for (let k = 0; k < 1000; k++) {
        batch[k] = accounts[i];
        if (++i === n) i = 0;
      }
      consume(await Promise.all(batch.map(c.run)));
    }
    done += 1000;
  }
  return [done / ((performance.now() - t0) / 1000), i];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[], digits: number) => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`;
/** A ratio: two decimals, or two significant digits below 0.1. */
const ratioText = (r: number) => (r >= 0.1 ? r.toFixed(2) : r.toPrecision(2));
const ratioSpread = (xs: number[]) => `${ratioText(Math.min(...xs))}–${ratioText(Math.max(...xs))}`;

/**
 * The engine against its peers and the hand-written limit (issues 14 and 18): the same ml-inference model and the
 * same accounts for every contender, answers checked equal first, then rounds in which every contender is measured
 * in turn (so a machine whose load drifts weighs on all alike); each figure is the median of the rounds, with the
 * spread, and its ratio to the hand-written function the median of the rounds' ratios.
 */
export async function engineComparison(options: BenchOptions = {}): Promise<string[]> {
  const plan = options.quick ? QUICK : FULL;
  const { model, snapshot, catalogue } = await mlModel();
  const accounts = mlAccounts(plan.accounts);
  const hand = handWrittenMlInference(snapshot);
  const cel = await celInterpreted(snapshot, catalogue);
  const buf = bufCel(snapshot);
  const zen = await zenDecision(snapshot);
  const jre = await jsonRulesEngine(snapshot);

  // The limit must be the same function: every field and list of every account, deep-equal to the engine's.
  let handDiffs = 0;
  let firstDiff = '';
  for (const a of accounts) {
    const ours = model.score(a).toJSON();
    const theirs = hand(a).toJSON();
    if (!isDeepStrictEqual(ours, theirs) || JSON.stringify(ours) !== JSON.stringify(theirs)) {
      handDiffs++;
      firstDiff ||= `${a.key}: engine ${JSON.stringify(ours)}\nhand-written ${JSON.stringify(theirs)}`;
    }
  }
  if (handDiffs)
    throw new Error(`the hand-written function differs from the engine on ${handDiffs} accounts; first:\n${firstDiff}`);
  // The peers compute the four outcomes: checked on the first accounts.
  const peerDiffs = { cel: 0, buf: 0, zen: 0, jre: 0 };
  for (const a of accounts.slice(0, PEER_CHECKS)) {
    const want = JSON.stringify(outcomeOf(model.score(a)));
    const got: Record<keyof typeof peerDiffs, Outcome> = {
      cel: cel(a.attributes),
      buf: buf(a.attributes),
      zen: await zen.evaluate(a.attributes),
      jre: await jre(a.attributes),
    };
    for (const k of Object.keys(got) as (keyof typeof peerDiffs)[]) if (JSON.stringify(got[k]) !== want) peerDiffs[k]++;
  }

  // ZEN's own account of its evaluation time (the `performance` it returns), against the time a call takes in Node.
  const zenMicros: number[] = [];
  for (const a of accounts.slice(0, 500)) {
    const { performance: p } = await zen.decision.evaluate({ account: a.attributes });
    const [, value, unit] = /^([\d.]+)\s*(ns|µs|ms|s)$/.exec(p) ?? [];
    zenMicros.push(Number(value) * ({ ns: 1e-3, µs: 1, ms: 1e3, s: 1e6 }[unit] ?? NaN));
  }

  const lists = (s: { dimensions: unknown[]; disqualifiers: unknown[]; triggers: unknown[]; explanation: unknown[] }) =>
    s.dimensions.length + s.disqualifiers.length + s.triggers.length + s.explanation.length;
  const contenders: Contender[] = [
    { name: 'hand-written function, `score()`', against: 'score', mode: 'sync', run: (a) => hand(a) },
    { name: 'hand-written function, every list read', against: 'lists', mode: 'sync', run: (a) => lists(hand(a)) },
    { name: 'this engine, `score()`', against: 'score', mode: 'sync', run: (a) => model.score(a) },
    { name: 'this engine, every list read', against: 'lists', mode: 'sync', run: (a) => lists(model.score(a)) },
    {
      name: '@bufbuild/cel (each expression planned once)',
      against: 'score',
      mode: 'sync',
      run: (a) => buf(a.attributes),
    },
    { name: '@marcbachmann/cel-js, its interpreter', against: 'score', mode: 'sync', run: (a) => cel(a.attributes) },
    {
      name: 'GoRules ZEN, `evaluate` awaited per account',
      against: 'score',
      mode: 'async',
      run: (a) => zen.evaluate(a.attributes),
    },
    {
      name: 'GoRules ZEN, 1,000 `evaluate` calls in flight',
      against: 'score',
      mode: 'batch',
      run: (a) => zen.evaluate(a.attributes),
    },
    {
      name: 'json-rules-engine, `run` awaited per account',
      against: 'score',
      mode: 'async',
      run: (a) => jre(a.attributes),
    },
  ];
  const rates = contenders.map(() => [] as number[]);
  const at = contenders.map(() => 0);
  for (const [i, c] of contenders.entries()) [, at[i]] = await measure(c, accounts, at[i], plan.warmMs);
  for (let round = 0; round < plan.rounds; round++)
    for (const [i, c] of contenders.entries())
      [rates[i][round], at[i]] = await measure(c, accounts, at[i], plan.sliceMs);
  const handIndex = { score: 0, lists: 1 };
  const ratios = contenders.map((c, i) => rates[i].map((r, round) => r / rates[handIndex[c.against]][round]));

  const rows = contenders.map((c, i) => {
    const what =
      c.against === 'lists'
        ? 'every field and list'
        : i < 4
          ? 'every field; lists on access'
          : 'tier, disqualified, score, band';
    const ratio = `${ratioText(median(ratios[i]))}x (${ratioSpread(ratios[i])})`;
    const name = i === 2 || i === 3 ? `**${c.name}**` : c.name;
    summarize(
      `engine: ${c.name.replace(/`/g, '')}: ${fmt(median(rates[i]), 0)} accounts/s (${spread(rates[i], 0)}), ${ratioText(median(ratios[i]))}x the hand-written`,
    );
    return `| ${name} | ${what} | ${fmt(median(rates[i]), 0)} | ${spread(rates[i], 0)} | ${ratio} |`;
  });
  const [engineScore, engineLists] = [median(ratios[2]), median(ratios[3])];
  const peersBehind = contenders.slice(4).every((_, k) => median(rates[k + 4]) < median(rates[2]));
  return [
    `### The engine against its peers and the hand-written limit (ml-inference: 3 tiers, 5 evaluated disqualifiers, 14 triggers, 4 rules)${options.quick ? ' (quick run)' : ''}`,
    '',
    `${accounts.length.toLocaleString('en')} generated accounts over every tier, band and disqualifier (one in ten lacks an attribute), the same for every contender. ` +
      `Before timing: the hand-written function's result (every field and list, \`toJSON()\`) deep-equal to the engine's on all ${accounts.length.toLocaleString('en')}: ${handDiffs} differences; ` +
      `tier, disqualification, score and band of the peers against the engine's on ${PEER_CHECKS.toLocaleString('en')}: ` +
      `@bufbuild/cel ${peerDiffs.buf}, cel-js ${peerDiffs.cel}, ZEN ${peerDiffs.zen}, json-rules-engine ${peerDiffs.jre} mismatches.`,
    '',
    `${plan.rounds} rounds; in each, every contender measured for ${plan.sliceMs} ms in turn, continuing through the accounts. Accounts/s: the median of the rounds and their spread; ratio: the median of the rounds' ratios to the hand-written function in the same round (\`score()\` figures to its \`score()\`, every-list figures to it with every list read) and their spread.`,
    '',
    '| implementation | computes | accounts/s (median) | spread | vs the hand-written function |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `- Targets (issue 18): engine \`score()\` ≥ 0.7x the hand-written function: **${fmt(engineScore, 2)}x** (${engineScore >= 0.7 ? 'met' : 'not met'}); every list read ≥ 0.5x: **${fmt(engineLists, 2)}x** (${engineLists >= 0.5 ? 'met' : 'not met'}); ahead of every peer: ${peersBehind ? 'yes' : '**no**'}.`,
    `- Issue 14's targets, in this run: engine \`score()\` ≥ 1,000,000 accounts/s: ${fmt(median(rates[2]), 0)}; ≥ 3x cel-js's interpreter: ${fmt(median(rates[2].map((r, k) => r / rates[5][k])), 1)}x.`,
    '- "Every list read": `dimensions`, `disqualifiers`, `triggers` and `explanation` of each result, as a client asking for the whole explanation does. Both the engine and the hand-written function build those lists on first access.',
    '- The peers compute only the four outcomes (they have no explanation): their ratio is to the hand-written `score()`. ZEN: the Node binding offers no synchronous decision evaluation (only `evaluateExpressionSync`, one expression per call, parsed each time) and no batch call; "in flight" runs 1,000 `evaluate` promises at once on its thread pool. ' +
      `ZEN's own reported evaluation time (its \`performance\`), median over 500 accounts: ${fmt(median(zenMicros), 1)} µs an account; the rest of a call is the binding (the account converted to Rust, the result back to JavaScript, a promise).`,
  ];
}
