import { type Account, CodeUnit, conjuncts } from './compile';
import { type AttributeSpec, type ExpressionChecker } from './cel';
import { MAX_LIST_ITEMS } from './cost';

/**
 * The scoring engine: pure functions over plain data, no database.
 *
 * `compileModel` turns a published ICP version (its snapshot) into an
 * evaluator once; `model.score(account)` then runs only closures. The
 * semantics (docs/DOMAIN.md, "The fit-score contract"):
 * - tier: the best-ranked tier whose criteria hold (tiers without criteria are not tested). A
 *   criterion `A && B && C` is the conditions A, B and C, each HELD, FAILED or UNKNOWN (it reads
 *   an attribute the account lacks); a tier holds when all of its conditions hold. Scoring tests the
 *   tiers in rank order and stops a tier at its first failed condition; `tierMatches` re-evaluates
 *   every condition of every tier on first access, and `nearestTier` (no tier held) is the tier with
 *   the fewest failed conditions, then the most held, then the better rank;
 * - disqualifiers and triggers: every one with an expression is tested;
 * - dimension: the points of its rules whose condition holds, summed, clamped to [0, max];
 * - band: the one with the highest minScore not above the score; none when disqualified;
 * - undetermined (three-valued logic: a missing attribute is unknown, `unknown && false` is false,
 *   `unknown || true` is true): a disqualifier that held cannot un-hold, so a disqualified account
 *   is determined; otherwise the account is undetermined when (a) a tier ranked better than the
 *   matched one (any tier when none matched) has no failed condition and some unknown one, (b) a
 *   disqualifier is unknown, or (c) the band at the lowest possible score differs from the band at
 *   the highest (a rule whose condition is unknown may add its points, a constant; unknown points
 *   may add anything, so their dimension may reach 0 or its max; each dimension clamped).
 *   decidingAttributes: the missing attributes read by the unknown checks behind (a)-(c), sorted;
 * - action: disqualified: "Do not pursue: <the first disqualifier's reason, else its name>";
 *   undetermined: "Needs data: <decidingAttributes>"; else the band's action, or, with no band,
 *   a sentence saying so;
 * - personas: those of the matched tier, then those of the whole ICP; one with a
 *   condition (`appliesWhen`) only when it holds (unknown, for missing data, or an error: not listed;
 *   the persona's condition does not decide the tier, the band or the action, so it is not in
 *   decidingAttributes);
 * - use cases: patterns listing the account's industry (a technical pattern too, when it lists industries);
 * - an attribute the account lacks makes a check not hold and is listed in
 *   missingAttributes; a value of the wrong type refuses the account;
 * - an evaluation error (overflow, division by zero, a bad conversion) is an
 *   error of its check (or tier condition): the check does not hold (FAILED)
 *   and its explanation says why; the account's other checks still run.
 * The same snapshot and account always give the same score.
 */
type Row = Record<string, any>;

export interface ModelSource {
  icpId: string;
  icpSlug: string;
  version: number;
  /** The published snapshot: icp, tiers, personas, patterns, checks, dimensions, rules, bands, attributes. */
  snapshot: Row;
}

export interface AccountInput {
  key?: string | null;
  name?: string | null;
  attributes: Record<string, unknown>;
}

export type CheckKind = 'TIER' | 'DISQUALIFIER' | 'TRIGGER' | 'RULE';

/** Where an ICP part comes from (the snapshot row's `provenance`; null when it records none). */
export type Provenance = Record<string, unknown> | null;

export interface RuleHit {
  id: string;
  name: string;
  expression: string;
  reason: string | null;
  points: number | null;
  provenance: Provenance;
}

export interface TierRef {
  /** `<icpId>:<version>:<tier id>`: one tier in one version (a client cache's key; version 0 is the draft). */
  id: string;
  /** The tier's own id, the same in the draft and every version. */
  partId: string;
  name: string;
  rank: number;
  provenance: Provenance;
}

export type ConditionOutcome = 'HELD' | 'FAILED' | 'UNKNOWN';

export interface ConditionResult {
  /** The condition's source text. */
  text: string;
  outcome: ConditionOutcome;
  /** The attributes it reads. */
  attributes: string[];
  /** The evaluation error that failed it, e.g. "division by zero". */
  error: string | null;
}

export interface TierMatch {
  tier: TierRef;
  held: number;
  total: number;
  conditions: ConditionResult[];
}

export interface CheckResult {
  kind: CheckKind;
  id: string;
  name: string;
  expression: string;
  held: boolean;
  points: number | null;
  /** Attributes the account lacks that this check reads (it then does not hold). */
  missingAttributes: string[];
  /** The evaluation error that stopped this check (it then does not hold), e.g. "division by zero". */
  error: string | null;
  dimension: string | null;
  provenance: Provenance;
}

export class AccountError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

interface Check {
  kind: CheckKind;
  id: string;
  name: string;
  expression: string;
  reason: string | null;
  provenance: Provenance;
  /** Generated JS for the expression (see compile.ts); tiers: unused, their conditions are run. */
  code: string;
  /** False when evaluating it may throw a CEL error. */
  safe: boolean;
  attributes: string[];
  /** Rules only: points, and the dimension's index. */
  pointsCode?: string;
  pointsSafe?: boolean;
  pointsAttributes?: string[];
  /** Points that are a number whatever the account (a literal, folded): the only amount an unknown rule may add. */
  pointsConstant?: number;
  dimension?: number;
  /** Tiers only: the criterion's conditions (its top-level `&&` operands). */
  conditions?: Condition[];
}

interface Condition {
  text: string;
  code: string;
  safe: boolean;
  attributes: string[];
}

const HELD = 1;
const NOT_HELD = 0;
const NO_RESULT = -1;
/** Tier checks after the matched tier are not run. */
const NOT_RUN = 2;
/** A rule whose condition held but whose points lacked an attribute (reported, then read as NO_RESULT). */
const POINTS_MISSING = -2;
/** An evaluation error; its message is in the score's `errors`. */
const ERROR = -3;

/**
 * One account's evaluation, as the generated function returns it (one array, no other allocation):
 * `[flags, held words…, unknown words…, error words…, each rule's points…, the score]`. flags: ((matched tier + 1) << 2) |
 * (disqualified << 1) | (any check lacked a value). Check i is bit i % 32 of word i >> 5 of each mask: held alone
 * HELD, unknown alone NO_RESULT, both POINTS_MISSING, error ERROR, none NOT_HELD (NOT_RUN for a tier after the
 * matched one). Points are 0 for a rule that did not hold.
 */
type State = number[];

/** Where a model's masks and points sit in its State. */
interface Layout {
  /** Words per mask: one per 32 checks. */
  words: number;
  tierCount: number;
  /** Where the points start. */
  points: number;
}

/** Check i's outcome in `st` (POINTS_MISSING as it is). */
function outcomeAt(st: State, l: Layout, i: number): number {
  const w = 1 + (i >> 5);
  const b = 1 << (i & 31);
  if (st[w + 2 * l.words] & b) return ERROR;
  if (st[w] & b) return st[w + l.words] & b ? POINTS_MISSING : HELD;
  if (st[w + l.words] & b) return NO_RESULT;
  return i < l.tierCount && st[0] >> 2 !== 0 && i >= st[0] >> 2 ? NOT_RUN : NOT_HELD;
}

/** Written by the generated function: the messages of the checks that failed with an error (by index), if any. */
interface ErrorBox {
  errors: string[] | undefined;
}

/** `r = code`, and for code that may throw, an error caught into this check alone (r is then undefined). */
function evaluate(i: number, code: string, safe: boolean, into = 'r'): string {
  return safe
    ? `${into} = ${code};`
    : `try { ${into} = ${code}; } catch (e) { ${into} = undefined; (errs ??= [])[${i}] = H.message(e); }`;
}

/**
 * The whole model as one generated function: tiers in rank order until one
 * holds (each condition by condition, until one fails), then every
 * disqualifier, trigger and rule. The outcomes are kept as bits in locals and
 * returned with the points as one State; error messages go to `box`.
 */
function buildRun(
  unit: CodeUnit,
  checks: Check[],
  tierCount: number,
  ruleStart: number,
  words: number,
  dims: { rules: number[]; max: number }[],
): (a: Account, box: ErrorBox) => State {
  // Check i's bit in mask m (h: held, u: unknown, e: error).
  const set = (m: 'h' | 'u' | 'e', i: number) => `o${m}${i >> 5} |= ${1 << (i & 31)};`;
  const masks = ['h', 'u', 'e'].flatMap((m) => Array.from({ length: words }, (_, w) => `o${m}${w}`));
  const points = checks.slice(ruleStart).map((_, j) => `pt${j}`);
  const lines: string[] = [
    `let r, q, u, dq = 0, miss = 0, errs, ${[...masks, ...points].map((v) => `${v} = 0`).join(', ')};`,
  ];
  lines.push('let tier = -1;', 'tiers: {');
  // Each tier condition by condition: the first that fails (or errs) ends the tier; u: one was unknown.
  for (let i = 0; i < tierCount; i++) {
    lines.push(`t${i}: { u = 0;`);
    for (const c of checks[i].conditions!) {
      lines.push(
        `${evaluate(i, c.code, c.safe)} if (r !== true) { if (r === false) break t${i}; ` +
          `if (r === undefined) { ${set('e', i)} break t${i}; } u = 1; }`,
      );
    }
    lines.push(`if (u) { ${set('u', i)} miss = 1; } else { ${set('h', i)} tier = ${i}; break tiers; } }`);
  }
  lines.push('}');
  // Not held: no bit; an error or an unknown value: the check lacked a value.
  const other = (i: number) =>
    `else if (r !== false) { miss = 1; if (r === undefined) ${set('e', i)} else ${set('u', i)} }`;
  for (let i = tierCount; i < ruleStart; i++) {
    const isDisqualifier = checks[i].kind === 'DISQUALIFIER';
    lines.push(
      `${evaluate(i, checks[i].code, checks[i].safe)} if (r === true) { ${set('h', i)} ${isDisqualifier ? 'dq = 1;' : ''} } ${other(i)}`,
    );
  }
  for (let i = ruleStart; i < checks.length; i++) {
    const c = checks[i];
    // Points are an int (a number, or a BigInt past 2^53) or a double; any finite value counts.
    lines.push(
      `${evaluate(i, c.code, c.safe)} if (r === true) { ${evaluate(i, c.pointsCode!, c.pointsSafe!, 'q')} ` +
        `if (typeof q === "bigint") q = Number(q); ` +
        `if (typeof q === "number" && Number.isFinite(q)) { ${set('h', i)} ${points[i - ruleStart]} = q; } ` +
        `else { miss = 1; if (q === NV) { ${set('h', i)} ${set('u', i)} } else if (q === undefined) ${set('e', i)} else ${set('u', i)} } } ` +
        other(i),
    );
  }
  lines.push('box.errors = errs;');
  // The score: each dimension's points summed in order, clamped to [0, max] and rounded as `round` rounds, then the sum.
  const rounded = (x: string) => `Math.round((${x}) * 1e9) / 1e9`;
  const dimScores = dims.map((d) =>
    rounded(`Math.min(Math.max(${['0', ...d.rules.map((j) => points[j])].join(' + ')}, 0), ${unit.constant(d.max)})`),
  );
  lines.push(`let total = 0; ${dimScores.map((x) => `total += ${x};`).join(' ')}`);
  lines.push(`return [((tier + 1) << 2) | (dq << 1) | miss, ${[...masks, ...points, rounded('total')].join(', ')}];`);
  return unit.build(['box'], lines.join('\n'));
}

/** Condition outcomes, as `tierMatches` reports them. */
const C_HELD = 0;
const C_FAILED = 1;
const C_UNKNOWN = 2;
const CONDITION_OUTCOMES: ConditionOutcome[] = ['HELD', 'FAILED', 'UNKNOWN'];

/** Every condition of every tier, in order, into `o` (C_*), errors into `e` at the condition's index. */
function buildConditions(unit: CodeUnit, tierChecks: Check[]): (a: Account, o: number[], e: string[]) => void {
  const lines = ['let r;'];
  let f = 0;
  for (const t of tierChecks) {
    for (const c of t.conditions!) {
      const value = c.safe
        ? `r = ${c.code};`
        : `try { r = ${c.code}; } catch (x) { r = undefined; e[${f}] = H.message(x); }`;
      lines.push(
        `${value} o[${f}] = r === true ? ${C_HELD} : r === false || r === undefined ? ${C_FAILED} : ${C_UNKNOWN};`,
      );
      f++;
    }
  }
  return unit.build(['o', 'e'], lines.join('\n'));
}

export interface CompiledModel {
  icpId: string;
  icpSlug: string;
  version: number;
  maxScore: number;
  /** Every attribute the model reads (tiers, disqualifiers, triggers, rules and their points, persona conditions), sorted. */
  attributes: readonly string[];
  /** The version's attribute catalogue (names and types: how a CSV's cells are read). */
  catalogue: readonly AttributeSpec[];
  score(account: AccountInput, path?: string): FitScore;
}

export function compileModel(source: ModelSource, checker: ExpressionChecker): CompiledModel {
  const s = source.snapshot;
  const problems: string[] = [];
  // Every expression of the model is generated into one unit, then one function.
  const unit = new CodeUnit();
  const gen = (what: string, expression: string, expect: 'bool' | 'number') => {
    const { ast, problem } = checker.check(expression, expect);
    if (!ast) {
      problems.push(`${what}: ${problem!.message}`);
      return undefined;
    }
    try {
      return checker.generate(ast, unit);
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const compileCheck = (
    kind: CheckKind,
    row: Row,
    expression: string,
    extra: Partial<Check> = {},
  ): Check | undefined => {
    const g = gen(`${kind.toLowerCase()} "${row.name}"`, expression, 'bool');
    return (
      g && {
        kind,
        id: row.id,
        name: row.name,
        expression,
        reason: row.reason ?? row.description ?? null,
        provenance: row.provenance ?? null,
        code: g.code,
        safe: g.safe,
        attributes: g.attributes,
        ...extra,
      }
    );
  };

  // A tier criterion is generated condition by condition (its top-level `&&` operands).
  const compileTier = (row: Row): Check | undefined => {
    const what = `tier "${row.name}"`;
    const { ast, problem } = checker.check(row.criteria, 'bool');
    if (!ast) {
      problems.push(`${what}: ${problem!.message}`);
      return undefined;
    }
    try {
      const conditions = conjuncts(ast, row.criteria).map(({ node, text }) => {
        const g = checker.generate(node, unit);
        return { text, code: g.code, safe: g.safe, attributes: g.attributes };
      });
      return {
        kind: 'TIER',
        id: row.id,
        name: row.name,
        expression: row.criteria,
        reason: row.description ?? null,
        provenance: row.provenance ?? null,
        code: '',
        safe: conditions.every((c) => c.safe),
        attributes: [...new Set(conditions.flatMap((c) => c.attributes))],
        conditions,
      };
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
      return undefined;
    }
  };

  const tiers = [...(s.tiers as Row[])].sort((a, b) => a.rank - b.rank);
  const tierChecks = tiers.filter((t) => t.criteria).map(compileTier);
  const disqualifiers = (s.disqualifiers as Row[])
    .filter((d) => d.expression)
    .map((d) => compileCheck('DISQUALIFIER', d, d.expression));
  const triggers = (s.triggerEvents as Row[])
    .filter((d) => d.expression)
    .map((d) => compileCheck('TRIGGER', d, d.expression));
  const dimensions = [...(s.scoringDimensions as Row[])].sort((a, b) => a.position - b.position);
  const dimIndex = new Map(dimensions.map((d, i) => [d.id, i]));
  const rules = [...(s.scoringRules as Row[])]
    .sort((a, b) => (dimIndex.get(a.dimensionId) ?? 0) - (dimIndex.get(b.dimensionId) ?? 0) || a.position - b.position)
    .map((r) => {
      const pts = gen(`rule "${r.name}" points`, r.points, 'number');
      return (
        pts &&
        compileCheck('RULE', r, r.condition || 'true', {
          pointsCode: pts.code,
          pointsSafe: pts.safe,
          pointsAttributes: pts.attributes,
          pointsConstant: pts.constant,
          dimension: dimIndex.get(r.dimensionId),
        })
      );
    });
  // A persona with `appliesWhen` is listed only when its condition holds for the account.
  const personaConditions = new Map<string, (a: Account) => boolean>();
  const personaAttributes: string[] = [];
  for (const p of (s.personas as Row[]).filter((x) => x.appliesWhen)) {
    const g = gen(`persona "${p.name}" appliesWhen`, p.appliesWhen, 'bool');
    if (g) personaAttributes.push(...g.attributes);
    if (g) personaConditions.set(p.id, unit.build([], `try { return ${g.code} === true; } catch { return false; }`));
  }
  if (problems.length)
    throw new Error(`ICP ${source.icpSlug} version ${source.version} does not compile: ${problems.join('; ')}`);

  const checks = [...tierChecks, ...disqualifiers, ...triggers, ...rules] as Check[];
  const tierCount = tierChecks.length;
  const tierOfCheck = tiers.filter((t) => t.criteria);
  const disqStart = tierCount;
  const trigStart = disqStart + disqualifiers.length;
  const ruleStart = trigStart + triggers.length;
  const layout: Layout = { words: Math.max(1, Math.ceil(checks.length / 32)), tierCount, points: 0 };
  layout.points = 1 + 3 * layout.words;
  // Each dimension's rules (their index among the rules) and max: its score is their points summed, clamped, rounded.
  const dimRules = dimensions.map((d, i) => ({
    rules: (rules as Check[]).flatMap((r, j) => (r.dimension === i ? [j] : [])),
    max: d.max as number,
  }));
  const run = buildRun(unit, checks, tierCount, ruleStart, layout.words, dimRules);
  // Filled by `run` when a check fails with an error (score() is synchronous: one box per model).
  const box: ErrorBox = { errors: undefined };
  const maxScore = round(dimensions.reduce((sum, d) => sum + d.max, 0));
  const bands: Band[] = [...(s.actionBands as Row[])]
    .sort((a, b) => b.minScore - a.minScore)
    .map((b) =>
      Object.freeze({
        name: b.name,
        minScore: b.minScore,
        action: b.action,
        description: b.description ?? null,
        provenance: b.provenance ?? null,
      }),
    );
  const bandOf = (score: number): Band | null => {
    for (const b of bands) if (b.minScore <= score) return b;
    return null;
  };

  const withDates = (r: Row): Row => ({ ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });
  const personas = [...(s.personas as Row[])].sort((a, b) => a.position - b.position).map(withDates);
  const general = personas.filter((p) => !p.tierId);
  // Shared, frozen lists: scoring an account allocates none of them.
  const personasByTier = new Map(
    tiers.map((t) => [t.id, Object.freeze([...personas.filter((p) => p.tierId === t.id), ...general])]),
  );
  const generalPersonas = Object.freeze(general) as unknown as Row[];
  // The lists holding a persona with a condition, found once: the others are returned as they are.
  const conditional = new Set(
    [...personasByTier.values(), generalPersonas].filter((l) => l.some((p) => personaConditions.has(p.id))),
  );
  const personasFor = (list: readonly Row[], attrs: Account): Row[] =>
    (conditional.has(list) ? list.filter((p) => personaConditions.get(p.id)?.(attrs) ?? true) : list) as Row[];
  const useCasesByIndustry = new Map<string, Row[]>();
  for (const p of [...(s.useCasePatterns as Row[])].sort((a, b) => a.position - b.position)) {
    for (const industry of p.industries as string[]) {
      const key = industry.toLowerCase();
      for (const k of new Set([industry, key])) {
        if (!useCasesByIndustry.has(k)) useCasesByIndustry.set(k, []);
        useCasesByIndustry.get(k)!.push(withDates(p));
      }
    }
  }
  const hasIndustryPatterns = useCasesByIndustry.size > 0;
  const NONE = Object.freeze([]) as unknown as Row[];
  const validate = accountValidator((s.attributes as AttributeSpec[]) ?? []);
  const ruleCount = rules.length;
  const dimCount = dimensions.length;
  const dimMax = dimensions.map((d) => d.max as number);
  const ruleDim = (rules as Check[]).map((r) => r.dimension!);
  // Each dimension's rules, in order: its score is their points summed, clamped to [0, max], rounded.
  const dimScore = (st: State, d: number): number => {
    let sum = 0;
    for (const r of dimRules[d].rules) sum += st[layout.points + r];
    return round(Math.min(Math.max(sum, 0), dimMax[d]));
  };
  const tierRefs: TierRef[] = tierOfCheck.map((t) =>
    Object.freeze({
      id: `${source.icpId}:${source.version}:${t.id as string}`,
      partId: t.id as string,
      name: t.name as string,
      rank: t.rank as number,
      provenance: (t.provenance ?? null) as Provenance,
    }),
  );
  const tierPersonas = tierOfCheck.map((t) => personasByTier.get(t.id) as unknown as Row[]);
  const shape: Shape = {
    source,
    maxScore,
    checks,
    dimensions,
    ranges: [disqStart, trigStart, ruleStart],
    tierRefs,
    conditions: () => (conditionsRun ??= buildConditions(unit, checks.slice(0, tierCount))),
    personasFor,
    explained: checks.map((c) => explain(c, dimensions)),
    layout,
    dimScore,
  };
  let conditionsRun: ReturnType<typeof buildConditions> | undefined;
  // What a disqualified account is told: the first disqualifier that held, by its reason.
  const dqActions = (disqualifiers as Check[]).map((d) => `Do not pursue: ${d.reason ?? d.name}`);
  // The most and the least an unknown rule may add (constant points: those points; else anything).
  const ruleRange = (rules as Check[]).map((r) => {
    const c = r.pointsConstant;
    return c !== undefined && Number.isFinite(c) ? [Math.min(0, c), Math.max(0, c)] : [-Infinity, Infinity];
  });
  const clampDim = (x: number, d: number) => Math.min(Math.max(x, 0), dimMax[d]);

  /** The missing attributes that could change the tier, the disqualification or the band (see the doc comment). */
  const deciding = (st: State, attrs: Account, tier: number): string[] => {
    let names: string[] | undefined;
    for (let i = 0, upTo = tier >= 0 ? tier : tierCount; i < upTo; i++)
      if (outcomeAt(st, layout, i) === NO_RESULT) names = noteMissing(names, checks[i].attributes, attrs);
    for (let i = disqStart; i < trigStart; i++)
      if (outcomeAt(st, layout, i) === NO_RESULT) names = noteMissing(names, checks[i].attributes, attrs);
    const lo: number[] = new Array(dimCount).fill(0);
    const hi: number[] = new Array(dimCount).fill(0);
    let unknownRules: number[] | undefined;
    for (let r = 0; r < ruleCount; r++) {
      const o = outcomeAt(st, layout, ruleStart + r);
      const d = ruleDim[r];
      if (o === HELD) {
        lo[d] += st[layout.points + r];
        hi[d] += st[layout.points + r];
      } else if (o === NO_RESULT || o === POINTS_MISSING) {
        const [min, max] = o === POINTS_MISSING ? [-Infinity, Infinity] : ruleRange[r];
        if (min === 0 && max === 0) continue;
        lo[d] += min;
        hi[d] += max;
        (unknownRules ??= []).push(r);
      }
    }
    if (unknownRules) {
      let low = 0;
      let high = 0;
      for (let d = 0; d < dimCount; d++) {
        low += clampDim(lo[d], d);
        high += clampDim(hi[d], d);
      }
      if (bandOf(round(low)) !== bandOf(round(high))) {
        for (const r of unknownRules) {
          // Its condition's attributes when that is unknown; its points' either way (none for constant points).
          const c = checks[ruleStart + r];
          if (outcomeAt(st, layout, ruleStart + r) === NO_RESULT) names = noteMissing(names, c.attributes, attrs);
          names = noteMissing(names, c.pointsAttributes!, attrs);
        }
      }
    }
    return names ? names.sort() : EMPTY_STRINGS;
  };

  const model: CompiledModel = {
    icpId: source.icpId,
    icpSlug: source.icpSlug,
    version: source.version,
    maxScore,
    catalogue: Object.freeze((s.attributes as AttributeSpec[]) ?? []),
    attributes: Object.freeze(
      [
        ...new Set([...checks.flatMap((c) => [...c.attributes, ...(c.pointsAttributes ?? [])]), ...personaAttributes]),
      ].sort(),
    ),
    score(account: AccountInput, path = 'account'): FitScore {
      const attrs = validate(account, path);
      // The one allocation of the evaluation: outcomes as bits, and the rules' points.
      const st = run(attrs, box);
      const errors = box.errors;
      const bits = st[0];
      const tier = (bits >> 2) - 1;
      const disqualified = (bits & 2) !== 0;
      let missing: string[] | undefined;
      let decidingAttributes = EMPTY_STRINGS;
      if (bits & 1) {
        if (!disqualified) decidingAttributes = deciding(st, attrs, tier);
        for (let w = 0; w < layout.words; w++) {
          // Only the checks with an unknown bit: NO_RESULT, or POINTS_MISSING with its held bit.
          for (let u = st[1 + layout.words + w]; u !== 0; u &= u - 1) {
            const b = 31 - Math.clz32(u & -u);
            const i = 32 * w + b;
            if (st[1 + w] & (1 << b)) missing = noteMissing(missing, checks[i].pointsAttributes!, attrs);
            else missing = noteMissing(missing, checks[i].attributes, attrs);
          }
        }
      }
      const total = st[layout.points + ruleCount];
      let band: Band | null = null;
      let action: string;
      if (disqualified) {
        let i = disqStart;
        while (outcomeAt(st, layout, i) !== HELD) i++;
        action = dqActions[i - disqStart];
      } else {
        band = bandOf(total);
        if (decidingAttributes.length) action = `Needs data: ${decidingAttributes.join(', ')}`;
        else action = band ? band.action : noBand(total, bands.length);
      }
      let useCases = NONE;
      if (hasIndustryPatterns) {
        const industry = attrs.industry;
        if (typeof industry === 'string')
          useCases = useCasesByIndustry.get(industry) ?? useCasesByIndustry.get(industry.toLowerCase()) ?? NONE;
        else missing = noteMissing(missing, ['industry'], attrs);
      }
      return new FitScore(
        shape,
        account.key ?? null,
        total,
        disqualified,
        tier >= 0 ? tierRefs[tier] : null,
        band,
        action,
        decidingAttributes.length > 0,
        decidingAttributes,
        tier >= 0 ? tierPersonas[tier] : generalPersonas,
        useCases,
        missing ? missing.sort() : EMPTY_STRINGS,
        st,
        errors,
        attrs,
      );
    },
  };
  return model;
}

function noteMissing(list: string[] | undefined, names: string[], attrs: Account): string[] {
  for (const n of names) {
    // Own properties only, as the generated reads: `toString` is missing unless the account has it.
    if ((!Object.prototype.hasOwnProperty.call(attrs, n) || attrs[n] === undefined) && !(list ??= []).includes(n))
      list.push(n);
  }
  return list ?? [];
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

const noBand = (score: number, bands: number) =>
  bands ? `No action band: a score of ${score} is below every band` : 'No action band: this ICP defines none';

interface Band {
  name: string;
  minScore: number;
  action: string;
  description: string | null;
  provenance: Provenance;
}

/** What every score of one model shares. */
interface Shape {
  source: ModelSource;
  maxScore: number;
  checks: Check[];
  dimensions: Row[];
  /** Where disqualifiers, triggers and rules start in `checks`. */
  ranges: [number, number, number];
  /** The tiers with criteria, in rank order (the first checks). */
  tierRefs: TierRef[];
  /** Evaluates every tier condition (built on first use). */
  conditions: () => (a: Account, o: number[], e: string[]) => void;
  /** A tier's personas that apply to the account (those with a condition only when it holds). */
  personasFor: (list: readonly Row[], attrs: Account) => Row[];
  /** Each check's explanation entries and hit that do not depend on the account, built once (see `Explained`). */
  explained: Explained[];
  /** Where outcomes and points sit in a State. */
  layout: Layout;
  /** Dimension d's score in a State. */
  dimScore: (st: State, d: number) => number;
}

/**
 * What a check's explanation entry and hit are made of, and the entries that depend on the account only through
 * held / not held / unknown: frozen and shared by every score of the model (no resolver or client writes them).
 */
interface Explained {
  /** The attributes it reads: its condition's, then a rule's points' (concatenated once). */
  attributes: string[];
  /** Its dimension's name (rules), else null. */
  dimension: string | null;
  notHeld: CheckResult;
  /** Held: a tier, disqualifier or trigger, or a rule with constant points; else null (the points are the account's). */
  held: CheckResult | null;
  /** Unknown, when it reads one attribute: that attribute is the missing one; else null. */
  unknown: CheckResult | null;
  /** Its hit (disqualifiers and triggers; rules with constant points), else null. */
  hit: RuleHit | null;
}

const EMPTY_STRINGS: string[] = Object.freeze([]) as unknown as string[];

function explain(c: Check, dimensions: Row[]): Explained {
  const attributes = c.kind === 'RULE' ? [...c.attributes, ...(c.pointsAttributes ?? [])] : c.attributes;
  const dimension = c.kind === 'RULE' ? (dimensions[c.dimension!].name as string) : null;
  const constant =
    c.kind !== 'RULE'
      ? null
      : c.pointsConstant !== undefined && Number.isFinite(c.pointsConstant)
        ? c.pointsConstant
        : undefined;
  const entry = (held: boolean, points: number | null, missingAttributes: string[]) =>
    Object.freeze(checkResult(c, held, null, points, missingAttributes, dimension));
  return {
    attributes,
    dimension,
    notHeld: entry(false, c.kind === 'RULE' ? 0 : null, EMPTY_STRINGS),
    held: constant === undefined ? null : entry(true, constant, EMPTY_STRINGS),
    unknown:
      attributes.length === 1
        ? entry(false, c.kind === 'RULE' ? 0 : null, Object.freeze([attributes[0]]) as string[])
        : null,
    hit: constant === undefined ? null : Object.freeze(ruleHit(c, constant)),
  };
}

function checkResult(
  c: Check,
  held: boolean,
  error: string | null,
  points: number | null,
  missingAttributes: string[],
  dimension: string | null,
): CheckResult {
  const { kind, id, name, expression, provenance } = c;
  return { kind, id, name, expression, held, error, points, missingAttributes, dimension, provenance };
}

function ruleHit(c: Check, points: number | null): RuleHit {
  return { id: c.id, name: c.name, expression: c.expression, reason: c.reason, points, provenance: c.provenance };
}

/** The scored account. Lists that few clients read are built from the recorded evaluation on first access. */
export class FitScore {
  constructor(
    private readonly shape: Shape,
    readonly accountKey: string | null,
    readonly score: number,
    readonly disqualified: boolean,
    readonly tier: TierRef | null,
    readonly band: Band | null,
    /** What sales does: "Do not pursue: …", "Needs data: …", or the band's action. */
    readonly action: string,
    /** The tier, disqualification or band could change with the missing attributes. */
    readonly undetermined: boolean,
    readonly decidingAttributes: string[],
    /** The tier's personas (or the ICP's), before their conditions: see `personas`. */
    private readonly personaList: Row[],
    readonly useCases: Row[],
    readonly missingAttributes: string[],
    /** The evaluation: each check's outcome and each rule's points. */
    private readonly state: State,
    /** The messages of the checks that failed with an error, by index (none: undefined). */
    private readonly errors: string[] | undefined,
    private readonly attrs: Account,
  ) {}

  /** Check i's outcome (a rule whose points lacked a value: NO_RESULT). */
  private outcome(i: number): number {
    const o = outcomeAt(this.state, this.shape.layout, i);
    return o === POINTS_MISSING ? NO_RESULT : o;
  }

  /** Rule r's points (0 when it did not hold). */
  private points(r: number): number {
    return this.state[this.shape.layout.points + r];
  }

  private matches?: TierMatch[];
  private applying?: Row[];

  /** Whom to engage: the tier's personas, then the ICP's; one with a condition only when it holds (on first access). */
  get personas(): Row[] {
    return (this.applying ??= this.shape.personasFor(this.personaList, this.attrs));
  }

  /** Every tier with criteria, condition by condition (evaluated again, in full, on first access). */
  get tierMatches(): TierMatch[] {
    if (this.matches) return this.matches;
    const { checks, tierRefs } = this.shape;
    const o: number[] = [];
    const e: string[] = [];
    this.shape.conditions()(this.attrs, o, e);
    let f = 0;
    this.matches = tierRefs.map((tier, i) => {
      let held = 0;
      const conditions = checks[i].conditions!.map((c): ConditionResult => {
        if (o[f] === C_HELD) held++;
        const result = {
          text: c.text,
          outcome: CONDITION_OUTCOMES[o[f]],
          attributes: c.attributes,
          error: e[f] ?? null,
        };
        f++;
        return result;
      });
      return { tier, held, total: conditions.length, conditions };
    });
    return this.matches;
  }

  /**
   * When no tier holds: the tier fewest failed conditions away (an unknown one is not failed), then the one with
   * the most conditions held, then the better rank. Counting failures first keeps a tier written as ranges (more
   * conditions) from looking nearer than a tier that only lacks data.
   */
  get nearestTier(): TierMatch | null {
    if (this.tier) return null;
    let best: TierMatch | null = null;
    let bestFailed = Infinity;
    for (const m of this.tierMatches) {
      let failed = 0;
      for (const c of m.conditions) if (c.outcome === 'FAILED') failed++;
      if (failed < bestFailed || (failed === bestFailed && m.held > best!.held)) [best, bestFailed] = [m, failed];
    }
    return best;
  }

  get maxScore(): number {
    return this.shape.maxScore;
  }
  get icpSlug(): string {
    return this.shape.source.icpSlug;
  }
  get icpVersion(): number {
    return this.shape.source.version;
  }
  get icpId(): string {
    return this.shape.source.icpId;
  }

  /** The disqualifiers' or triggers' hits (each the model's, built once). */
  private hits(from: number, to: number): RuleHit[] {
    const out: RuleHit[] = [];
    const { explained } = this.shape;
    for (let i = from; i < to; i++) if (this.outcome(i) === HELD) out.push(explained[i].hit!);
    return out;
  }

  get disqualifiers(): RuleHit[] {
    return this.hits(this.shape.ranges[0], this.shape.ranges[1]);
  }

  get triggers(): RuleHit[] {
    return this.hits(this.shape.ranges[1], this.shape.ranges[2]);
  }

  get dimensions(): { name: string; score: number; max: number; hits: RuleHit[] }[] {
    const { checks, ranges, dimensions } = this.shape;
    const out = dimensions.map((d, i) => ({
      name: d.name as string,
      score: this.shape.dimScore(this.state, i),
      max: d.max as number,
      hits: [] as RuleHit[],
    }));
    for (let i = ranges[2]; i < checks.length; i++) {
      if (this.outcome(i) !== HELD) continue;
      const c = checks[i];
      const points = this.points(i - ranges[2]);
      const { hit } = this.shape.explained[i];
      out[c.dimension!].hits.push(hit && Object.is(hit.points, points) ? hit : ruleHit(c, points));
    }
    return out;
  }

  /**
   * Every check that was tested, whether it held, and the points it gave. An entry that depends on the account only
   * through held / not held / unknown is the model's (frozen, built once); the others are built here.
   */
  get explanation(): CheckResult[] {
    const out: CheckResult[] = [];
    const { checks, explained, ranges } = this.shape;
    const missing = this.missingAttributes;
    for (let i = 0; i < checks.length; i++) {
      const o = this.outcome(i);
      if (o === NOT_RUN) continue;
      const x = explained[i];
      if (o === NOT_HELD) out.push(x.notHeld);
      else if (o === HELD) {
        const points = checks[i].kind === 'RULE' ? this.points(i - ranges[2]) : null;
        out.push(
          x.held && Object.is(x.held.points, points)
            ? x.held
            : checkResult(checks[i], true, null, points, EMPTY_STRINGS, x.dimension),
        );
      } else if (o === NO_RESULT) {
        const lacking = x.attributes.filter((a) => missing.includes(a));
        out.push(
          x.unknown && lacking.length === 1
            ? x.unknown
            : checkResult(checks[i], false, null, x.notHeld.points, lacking, x.dimension),
        );
      } else {
        const error = this.errors?.[i] ?? 'evaluation error';
        out.push(checkResult(checks[i], false, error, x.notHeld.points, EMPTY_STRINGS, x.dimension));
      }
    }
    return out;
  }

  /** Plain data (for JSON and comparisons): every field, lists included. */
  toJSON(): Record<string, unknown> {
    const { accountKey, icpSlug, icpVersion, score, maxScore, disqualified, tier, band, missingAttributes } = this;
    return {
      accountKey,
      icpSlug,
      icpVersion,
      score,
      maxScore,
      disqualified,
      disqualifiers: this.disqualifiers,
      tier,
      nearestTier: this.nearestTier,
      tierMatches: this.tierMatches,
      band,
      action: this.action,
      undetermined: this.undetermined,
      decidingAttributes: this.decidingAttributes,
      dimensions: this.dimensions,
      triggers: this.triggers,
      personas: this.personas.map((p) => p.name),
      useCases: this.useCases.map((u) => u.name),
      missingAttributes,
      explanation: this.explanation,
    };
  }
}

/**
 * Checks an account's attributes against the catalogue of the version;
 * attributes outside the catalogue are ignored. The fast path is generated
 * code (a typeof test per attribute); messages are built only for an account
 * that fails it.
 */
export function accountValidator(catalogue: AttributeSpec[]): (account: AccountInput, path: string) => Account {
  const unit = new CodeUnit();
  const specs: Record<string, { spec: AttributeSpec; allowed: Set<string> | null; ok: (v: unknown) => boolean }> =
    Object.create(null);
  const tests: string[] = [];
  for (const a of catalogue) {
    const allowed = a.allowedValues?.length ? new Set(a.allowedValues) : null;
    specs[a.name] = { spec: a, allowed, ok: predicate(a.type, allowed) };
    const set = allowed ? unit.constant(allowed) : '';
    const ok = {
      INT: 'typeof v === "number" && Number.isSafeInteger(v)',
      NUMBER: 'typeof v === "number" && Number.isFinite(v)',
      BOOL: 'typeof v === "boolean"',
      STRING: `typeof v === "string"${allowed ? ` && ${set}.has(v)` : ''}`,
      STRING_LIST: `H.stringList(v, ${allowed ? set : 'null'}, ${MAX_LIST_ITEMS})`,
    }[a.type];
    // Own properties only: an attribute named `toString` must not read Object.prototype's.
    const read = a.name in Object.prototype ? `H.own(a, ${JSON.stringify(a.name)})` : `a[${JSON.stringify(a.name)}]`;
    tests.push(`v = ${read}; if (v !== undefined) { if (v === null) f |= 2; else if (!(${ok})) f |= 1; }`);
  }
  // Returns 0 (valid), bit 1: some value is wrong, bit 2: some value is null.
  const quick = unit.build<(a: Account) => number>([], `let v, f = 0; ${tests.join(' ')} return f;`);
  return (account, path) => {
    const attrs = account?.attributes as Account | undefined;
    if (attrs && typeof attrs === 'object' && !Array.isArray(attrs)) {
      const flags = quick(attrs);
      if (flags === 0) return attrs;
      return slowPath(account, attrs, path, flags);
    }
    throw new AccountError([
      { path: `${path}.attributes`, message: `must be an object of attribute values${who(account)}` },
    ]);
  };
  // Off the fast path: the messages of a refused account, or an account without its nulls.
  function slowPath(account: AccountInput, attrs: Account, path: string, flags: number): Account {
    if (flags & 1) {
      const problems: { path: string; message: string }[] = [];
      for (const name of Object.keys(attrs)) {
        const entry = specs[name];
        const v = attrs[name];
        if (entry && v !== undefined && v !== null && !entry.ok(v))
          problems.push({
            path: `${path}.attributes.${name}`,
            message: `${typeProblem(entry.spec, entry.allowed, v)}${who(account)}`,
          });
      }
      throw new AccountError(problems);
    }
    // null means "not known": the same as leaving the attribute out.
    return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null));
  }
}

/** The account a message is about, when it has a key. */
const who = (account: AccountInput | undefined) => (account?.key ? ` (account "${account.key}")` : '');

function predicate(type: AttributeSpec['type'], allowed: Set<string> | null): (v: unknown) => boolean {
  switch (type) {
    case 'INT':
      return (v) => typeof v === 'number' && Number.isSafeInteger(v);
    case 'NUMBER':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'BOOL':
      return (v) => typeof v === 'boolean';
    case 'STRING':
      return allowed ? (v) => typeof v === 'string' && allowed.has(v) : (v) => typeof v === 'string';
    case 'STRING_LIST':
      return (v) => {
        if (!Array.isArray(v) || v.length > MAX_LIST_ITEMS) return false;
        for (const x of v) if (typeof x !== 'string' || (allowed && !allowed.has(x))) return false;
        return true;
      };
  }
}

function typeProblem(spec: AttributeSpec, allowed: Set<string> | null, v: unknown): string {
  const got = JSON.stringify(v);
  switch (spec.type) {
    case 'INT':
      // Past 2^53 a JSON number is no longer exact: such an int is refused rather than rounded.
      return Number.isInteger(v)
        ? `must be a whole number between -(2^53-1) and 2^53-1, got ${got}`
        : `must be a whole number, got ${got}`;
    case 'NUMBER':
      return `must be a number, got ${got}`;
    case 'BOOL':
      return `must be true or false, got ${got}`;
    case 'STRING':
      return typeof v !== 'string'
        ? `must be a string, got ${got}`
        : `must be one of ${[...allowed!].join(', ')}, got ${got}`;
    case 'STRING_LIST': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `must be a list of strings, got ${got}`;
      if (v.length > MAX_LIST_ITEMS) return `must have at most ${MAX_LIST_ITEMS} items, got ${v.length}`;
      return `items must be among ${[...allowed!].join(', ')}, got ${JSON.stringify(v.find((x) => !allowed!.has(x)))}`;
    }
  }
}
