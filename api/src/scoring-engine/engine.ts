import { type Account, CodeUnit } from './compile';
import type { AttributeSpec, ExpressionChecker } from './cel';
import { MAX_LIST_ITEMS } from './cost';

/**
 * The scoring engine: pure functions over plain data, no database.
 *
 * `compileModel` turns a published ICP version (its snapshot) into an
 * evaluator once; `model.score(account)` then runs only closures. The
 * semantics (docs/DOMAIN.md, "The fit-score contract"):
 * - tier: the best-ranked tier whose criteria hold (tiers without criteria are not tested);
 * - disqualifiers and triggers: every one with an expression is tested;
 * - dimension: the points of its rules whose condition holds, summed, clamped to [0, max];
 * - band: the one with the highest minScore not above the score;
 * - personas: those of the matched tier, then those of the whole ICP;
 * - use cases: industry patterns listing the account's industry;
 * - an attribute the account lacks makes a check not hold and is listed in
 *   missingAttributes; a value of the wrong type refuses the account;
 * - an evaluation error (overflow, division by zero, a bad conversion) is an
 *   error of its check: the check does not hold and its explanation says why;
 *   the account's other checks still run.
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

export interface RuleHit {
  id: string;
  name: string;
  expression: string;
  reason: string | null;
  points: number | null;
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
  /** Generated JS for the expression (see compile.ts). */
  code: string;
  /** False when evaluating it may throw a CEL error. */
  safe: boolean;
  attributes: string[];
  /** Rules only: points, and the dimension's index. */
  pointsCode?: string;
  pointsSafe?: boolean;
  pointsAttributes?: string[];
  dimension?: number;
}

const HELD = 1;
const NOT_HELD = 0;
const NO_RESULT = -1;
/** Tier checks after the matched tier are not run. */
const NOT_RUN = 2;
/** A rule whose condition held but whose points lacked an attribute (reported, then stored as NO_RESULT). */
const POINTS_MISSING = -2;
/** An evaluation error; its message is in `outcome.errors`. */
const ERROR = -3;

/** Each check's outcome; `errors` holds the messages of the checks that failed with an error. */
type Outcomes = number[] & { errors?: string[] };

/** `r = code`, and for code that may throw, an error caught into this check alone (r is then undefined). */
function evaluate(i: number, code: string, safe: boolean, into = 'r'): string {
  return safe
    ? `${into} = ${code};`
    : `try { ${into} = ${code}; } catch (e) { ${into} = undefined; (errs ??= [])[${i}] = H.message(e); }`;
}

/**
 * The whole model as one generated function: tiers in rank order until one
 * holds, then every disqualifier, trigger and rule. It fills `o` (outcomes)
 * and `p` (points) and returns ((matched tier + 1) << 2) | (disqualified << 1) | (any check lacked a value).
 */
function buildRun(
  unit: CodeUnit,
  checks: Check[],
  tierCount: number,
  ruleStart: number,
): (a: Account, o: Outcomes, p: number[]) => number {
  const outcome = (i: number) =>
    `o[${i}] = r === true ? ${HELD} : r === false ? ${NOT_HELD} : r === undefined ? ${ERROR} : ${NO_RESULT};`;
  const lines: string[] = ['let r, q, dq = 0, miss = 0, errs;'];
  for (let i = 0; i < tierCount; i++) lines.push(`o[${i}] = ${NOT_RUN};`);
  lines.push('let tier = -1;', 'tiers: {');
  for (let i = 0; i < tierCount; i++) {
    lines.push(
      `${evaluate(i, checks[i].code, checks[i].safe)} ${outcome(i)} if (r === true) { tier = ${i}; break tiers; } if (r !== false) miss = 1;`,
    );
  }
  lines.push('}');
  for (let i = tierCount; i < ruleStart; i++) {
    const isDisqualifier = checks[i].kind === 'DISQUALIFIER';
    lines.push(
      `${evaluate(i, checks[i].code, checks[i].safe)} ${outcome(i)} if (r === true) { ${isDisqualifier ? 'dq = 1;' : ''} } else if (r !== false) miss = 1;`,
    );
  }
  for (let i = ruleStart; i < checks.length; i++) {
    const j = i - ruleStart;
    const c = checks[i];
    // Points are an int (a number, or a BigInt past 2^53) or a double; any finite value counts.
    lines.push(
      `${evaluate(i, c.code, c.safe)} if (r === true) { ${evaluate(i, c.pointsCode!, c.pointsSafe!, 'q')} ` +
        `if (typeof q === "bigint") q = Number(q); ` +
        `if (typeof q === "number" && Number.isFinite(q)) { o[${i}] = ${HELD}; p[${j}] = q; } else { o[${i}] = q === NV ? ${POINTS_MISSING} : q === undefined ? ${ERROR} : ${NO_RESULT}; miss = 1; } } ` +
        `else { ${outcome(i)} if (r !== false) miss = 1; }`,
    );
  }
  lines.push('if (errs) o.errors = errs;');
  // The matched tier, whether a disqualifier held, whether any check lacked a value: one integer.
  lines.push('return ((tier + 1) << 2) | (dq << 1) | miss;');
  return unit.build(['o', 'p'], lines.join('\n'));
}

export interface CompiledModel {
  icpId: string;
  icpSlug: string;
  version: number;
  maxScore: number;
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
        code: g.code,
        safe: g.safe,
        attributes: g.attributes,
        ...extra,
      }
    );
  };

  const tiers = [...(s.tiers as Row[])].sort((a, b) => a.rank - b.rank);
  const tierChecks = tiers.filter((t) => t.criteria).map((t) => compileCheck('TIER', t, t.criteria));
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
          dimension: dimIndex.get(r.dimensionId),
        })
      );
    });
  if (problems.length)
    throw new Error(`ICP ${source.icpSlug} version ${source.version} does not compile: ${problems.join('; ')}`);

  const checks = [...tierChecks, ...disqualifiers, ...triggers, ...rules] as Check[];
  const tierCount = tierChecks.length;
  const tierOfCheck = tiers.filter((t) => t.criteria);
  const disqStart = tierCount;
  const trigStart = disqStart + disqualifiers.length;
  const ruleStart = trigStart + triggers.length;
  const run = buildRun(unit, checks, tierCount, ruleStart);
  const maxScore = round(dimensions.reduce((sum, d) => sum + d.max, 0));
  const bands: Band[] = [...(s.actionBands as Row[])]
    .sort((a, b) => b.minScore - a.minScore)
    .map((b) =>
      Object.freeze({ name: b.name, minScore: b.minScore, action: b.action, description: b.description ?? null }),
    );

  const withDates = (r: Row): Row => ({ ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });
  const personas = [...(s.personas as Row[])].sort((a, b) => a.position - b.position).map(withDates);
  const general = personas.filter((p) => !p.tierId);
  // Shared, frozen lists: scoring an account allocates none of them.
  const personasByTier = new Map(
    tiers.map((t) => [t.id, Object.freeze([...personas.filter((p) => p.tierId === t.id), ...general])]),
  );
  const generalPersonas = Object.freeze(general) as unknown as Row[];
  const useCasesByIndustry = new Map<string, Row[]>();
  for (const p of [...(s.useCasePatterns as Row[])].sort((a, b) => a.position - b.position)) {
    if (p.kind !== 'INDUSTRY') continue;
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
  const tierRefs = tierOfCheck.map((t) =>
    Object.freeze({ id: t.id as string, name: t.name as string, rank: t.rank as number }),
  );
  const tierPersonas = tierOfCheck.map((t) => personasByTier.get(t.id) as unknown as Row[]);
  const shape: Shape = { source, maxScore, checks, dimensions, ranges: [disqStart, trigStart, ruleStart] };

  const model: CompiledModel = {
    icpId: source.icpId,
    icpSlug: source.icpSlug,
    version: source.version,
    maxScore,
    score(account: AccountInput, path = 'account'): FitScore {
      const attrs = validate(account, path);
      const n = checks.length;
      // One small array per account: each check's outcome (rules' points in `points`).
      const outcome: Outcomes = new Array(n);
      const points: number[] = ruleCount ? new Array(ruleCount).fill(0) : EMPTY_NUMBERS;
      const bits = run(attrs, outcome, points);
      const tier = (bits >> 2) - 1;
      const disqualified = (bits & 2) !== 0;
      let missing: string[] | undefined;
      if (bits & 1) {
        for (let i = 0; i < n; i++) {
          const o = outcome[i];
          if (o === NO_RESULT) missing = noteMissing(missing, checks[i].attributes, attrs);
          else if (o === POINTS_MISSING) {
            outcome[i] = NO_RESULT;
            missing = noteMissing(missing, checks[i].pointsAttributes!, attrs);
          }
        }
      }
      const dimScores: number[] = new Array(dimCount).fill(0);
      for (let r = 0; r < ruleCount; r++) dimScores[ruleDim[r]] += points[r];
      let total = 0;
      for (let d = 0; d < dimCount; d++) {
        dimScores[d] = round(Math.min(Math.max(dimScores[d], 0), dimMax[d]));
        total += dimScores[d];
      }
      total = round(total);
      let band: Band | null = null;
      for (const b of bands) {
        if (b.minScore <= total) {
          band = b;
          break;
        }
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
        tier >= 0 ? tierPersonas[tier] : generalPersonas,
        useCases,
        missing ? missing.sort() : EMPTY_STRINGS,
        outcome,
        points,
        dimScores,
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

interface Band {
  name: string;
  minScore: number;
  action: string;
  description: string | null;
}

/** What every score of one model shares. */
interface Shape {
  source: ModelSource;
  maxScore: number;
  checks: Check[];
  dimensions: Row[];
  /** Where disqualifiers, triggers and rules start in `checks`. */
  ranges: [number, number, number];
}

const EMPTY_NUMBERS: number[] = Object.freeze([]) as unknown as number[];
const EMPTY_STRINGS: string[] = Object.freeze([]) as unknown as string[];

/** The scored account. Lists that few clients read are built from the recorded evaluation on first access. */
export class FitScore {
  constructor(
    private readonly shape: Shape,
    readonly accountKey: string | null,
    readonly score: number,
    readonly disqualified: boolean,
    readonly tier: { id: string; name: string; rank: number } | null,
    readonly band: Band | null,
    readonly personas: Row[],
    readonly useCases: Row[],
    readonly missingAttributes: string[],
    private readonly outcome: Outcomes,
    private readonly points: number[],
    private readonly dimScores: number[],
  ) {}

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

  private hits(from: number, to: number): RuleHit[] {
    const out: RuleHit[] = [];
    for (let i = from; i < to; i++) {
      if (this.outcome[i] !== HELD) continue;
      const c = this.shape.checks[i];
      out.push({
        id: c.id,
        name: c.name,
        expression: c.expression,
        reason: c.reason,
        points: c.kind === 'RULE' ? this.points[i - this.shape.ranges[2]] : null,
      });
    }
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
      score: this.dimScores[i],
      max: d.max as number,
      hits: [] as RuleHit[],
    }));
    for (let i = ranges[2]; i < checks.length; i++) {
      if (this.outcome[i] !== HELD) continue;
      const c = checks[i];
      out[c.dimension!].hits.push({
        id: c.id,
        name: c.name,
        expression: c.expression,
        reason: c.reason,
        points: this.points[i - ranges[2]],
      });
    }
    return out;
  }

  /** Every check that was tested, whether it held, and the points it gave. */
  get explanation(): CheckResult[] {
    const out: CheckResult[] = [];
    const { checks, dimensions, ranges } = this.shape;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      const o = this.outcome[i];
      if (o === NOT_RUN) continue;
      const attrs = c.kind === 'RULE' ? [...c.attributes, ...(c.pointsAttributes ?? [])] : c.attributes;
      out.push({
        kind: c.kind,
        id: c.id,
        name: c.name,
        expression: c.expression,
        held: o === HELD,
        error: o === ERROR ? (this.outcome.errors?.[i] ?? 'evaluation error') : null,
        points: c.kind === 'RULE' ? (o === HELD ? this.points[i - ranges[2]] : 0) : null,
        missingAttributes: o === NO_RESULT ? attrs.filter((a) => this.missingAttributes.includes(a)) : [],
        dimension: c.kind === 'RULE' ? dimensions[c.dimension!].name : null,
      });
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
      band,
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
    const who = () => (account?.key ? ` (account "${account.key}")` : '');
    if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs))
      throw new AccountError([
        { path: `${path}.attributes`, message: `must be an object of attribute values${who()}` },
      ]);
    const flags = quick(attrs);
    if (flags === 0) return attrs;
    if (flags & 1) {
      const problems: { path: string; message: string }[] = [];
      for (const name of Object.keys(attrs)) {
        const entry = specs[name];
        const v = attrs[name];
        if (entry && v !== undefined && v !== null && !entry.ok(v))
          problems.push({
            path: `${path}.attributes.${name}`,
            message: `${typeProblem(entry.spec, entry.allowed, v)}${who()}`,
          });
      }
      throw new AccountError(problems);
    }
    // null means "not known": the same as leaving the attribute out.
    return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null));
  };
}

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
