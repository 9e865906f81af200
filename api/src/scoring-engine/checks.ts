import type { Account, CompileResult } from './compile';
import type { AttributeSpec, ExpressionChecker } from './cel';

/**
 * Static checks of a draft before it is published, pure like the engine:
 * tiers whose criteria overlap, score ranges no band covers, bands no score
 * can reach, rules that read no attribute. They are warnings: a ranked tier
 * list may overlap on purpose (the best-ranked tier wins).
 */
type Row = Record<string, any>;

export type WarningKind =
  'TIER_OVERLAP' | 'SCORE_NOT_COVERED' | 'BAND_UNREACHABLE' | 'RULE_READS_NO_ATTRIBUTE' | 'NO_BANDS' | 'NOT_EVALUATED';

export interface Warning {
  kind: WarningKind;
  message: string;
  /** The records concerned. */
  ids: string[];
  /** For an overlap: an account both tiers match. */
  example?: Account;
}

const SAMPLES = 20_000;

export function staticChecks(snapshot: Row, checker: ExpressionChecker): Warning[] {
  const warnings: Warning[] = [];
  const catalogue = (snapshot.attributes as AttributeSpec[]) ?? [];
  const tiers = [...(snapshot.tiers as Row[])].sort((a, b) => a.rank - b.rank);
  const dims = snapshot.scoringDimensions as Row[];
  const rules = snapshot.scoringRules as Row[];
  const bands = [...(snapshot.actionBands as Row[])].sort((a, b) => a.minScore - b.minScore);
  const maxScore = dims.reduce((s, d) => s + d.max, 0);

  // Tiers: sample accounts around the constants the criteria use; report a pair both hold for.
  const compiled = tiers
    .filter((t) => t.criteria)
    .map((t) => ({ tier: t, result: checker.compile(t.criteria, 'bool').result }))
    .filter((c): c is { tier: Row; result: CompileResult } => !!c.result);
  if (compiled.length > 1) {
    const samples = sampleAccounts(
      catalogue,
      compiled.map((c) => c.tier.criteria as string),
      new Set(compiled.flatMap((c) => c.result.attributes)),
    );
    const reported = new Set<string>();
    for (const account of samples) {
      const holding = compiled.filter((c) => holds(c.result, account));
      for (let i = 0; i < holding.length; i++) {
        for (let j = i + 1; j < holding.length; j++) {
          const [a, b] = [holding[i].tier, holding[j].tier];
          const key = `${a.id}/${b.id}`;
          if (reported.has(key)) continue;
          reported.add(key);
          warnings.push({
            kind: 'TIER_OVERLAP',
            message: `tiers "${a.name}" (rank ${a.rank}) and "${b.name}" (rank ${b.rank}) both match some accounts; such accounts get "${a.name}", the better rank`,
            ids: [a.id, b.id],
            example: account,
          });
        }
      }
    }
  }

  if (!bands.length) {
    if (dims.length)
      warnings.push({ kind: 'NO_BANDS', message: 'there are no action bands: no score gets an action', ids: [] });
  } else {
    if (bands[0].minScore > 0) {
      warnings.push({
        kind: 'SCORE_NOT_COVERED',
        message: `scores from 0 to below ${bands[0].minScore} fall in no band`,
        ids: [bands[0].id],
      });
    }
    for (const b of bands) {
      if (b.minScore > maxScore) {
        warnings.push({
          kind: 'BAND_UNREACHABLE',
          message: `band "${b.name}" starts at ${b.minScore}, above the highest possible score ${maxScore}`,
          ids: [b.id],
        });
      }
    }
  }

  for (const r of rules) {
    const cond = checker.compile(r.condition || 'true', 'bool').result;
    const pts = checker.compile(r.points, 'number').result;
    if (cond && pts && cond.attributes.length + pts.attributes.length === 0) {
      warnings.push({
        kind: 'RULE_READS_NO_ATTRIBUTE',
        message: `rule "${r.name}" reads no attribute: it gives every account the same points`,
        ids: [r.id],
      });
    }
  }

  const silent = [
    ...tiers.filter((t) => !t.criteria).map((t) => [`tier "${t.name}" has no criteria`, t.id]),
    ...(snapshot.disqualifiers as Row[])
      .filter((d) => !d.expression)
      .map((d) => [`disqualifier "${d.name}" has no expression`, d.id]),
    ...(snapshot.triggerEvents as Row[])
      .filter((d) => !d.expression)
      .map((d) => [`trigger "${d.name}" has no expression`, d.id]),
  ];
  if (silent.length) {
    warnings.push({
      kind: 'NOT_EVALUATED',
      message: `${silent.length} check(s) are for reps only and are not evaluated: ${silent.map(([m]) => m).join('; ')}`,
      ids: silent.map(([, id]) => id),
    });
  }
  return warnings;
}

/** Whether a criterion holds for a sample; an evaluation error (e.g. division by zero) means it does not. */
function holds(result: CompileResult, account: Account): boolean {
  try {
    return result.fn(account) === true;
  } catch {
    return false;
  }
}

/** Accounts whose values sit on and around every constant the expressions mention (deterministic). */
export function sampleAccounts(
  catalogue: AttributeSpec[],
  expressions: string[],
  used: Set<string>,
  n = SAMPLES,
): Account[] {
  const text = expressions.join(' ');
  const numbers = [
    ...new Set([0, ...[...text.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)].map((m) => Number(m[0]))]),
  ];
  const strings = [...new Set([...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]))];
  const choices = new Map<string, unknown[]>();
  for (const a of catalogue) {
    if (!used.has(a.name)) continue;
    const values: unknown[] = [undefined];
    switch (a.type) {
      case 'INT':
        values.push(...numbers.flatMap((c) => [Math.round(c) - 1, Math.round(c), Math.round(c) + 1]));
        break;
      case 'NUMBER':
        values.push(...numbers.flatMap((c) => [c - 1, c, c + 1, c * 2]));
        break;
      case 'BOOL':
        values.push(true, false);
        break;
      case 'STRING':
        values.push(...new Set([...(a.allowedValues ?? []), ...strings]));
        break;
      case 'STRING_LIST': {
        const pool = [...new Set([...(a.allowedValues ?? []), ...strings])];
        values.push([], ...pool.map((s) => [s]), pool.slice(0, 3), pool);
        break;
      }
    }
    choices.set(a.name, values);
  }
  // mulberry32: a small, well-mixed PRNG, so the same draft always gets the same samples.
  let seed = 20261123;
  const rnd = (k: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((((x ^ (x >>> 14)) >>> 0) / 4294967296) * k) | 0;
  };
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const account: Account = {};
    for (const [name, values] of choices) {
      const v = values[rnd(values.length)];
      if (v !== undefined) account[name] = v;
    }
    out.push(account);
  }
  return out;
}
