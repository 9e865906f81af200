import { Account, Fn, NO_VALUE } from './compile';
import { AttributeSpec, ExpressionChecker } from './cel';

/**
 * The scoring engine: pure functions over plain data, no database.
 *
 * `compileModel` turns a published ICP version (its snapshot) into an
 * evaluator once; `model.score(account)` then runs only closures. The
 * semantics (DOMAIN.md, "The fit-score contract"):
 * - tier: the best-ranked tier whose criteria hold (tiers without criteria are not tested);
 * - disqualifiers and triggers: every one with an expression is tested;
 * - dimension: the points of its rules whose condition holds, summed, clamped to [0, max];
 * - band: the one with the highest minScore not above the score;
 * - personas: those of the matched tier, then those of the whole ICP;
 * - use cases: industry patterns listing the account's industry;
 * - an attribute the account lacks makes a check not hold and is listed in
 *   missingAttributes; a value of the wrong type refuses the account.
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
  fn: Fn;
  attributes: string[];
  /** Rules only: points, and the dimension's index. */
  points?: Fn;
  pointsAttributes?: string[];
  dimension?: number;
}

const HELD = 1;
const NOT_HELD = 0;
const NO_RESULT = -1;
/** Tier checks after the matched tier are not run. */
const NOT_RUN = 2;

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
  const compileCheck = (kind: CheckKind, row: Row, expression: string, extra: Partial<Check> = {}): Check | undefined => {
    const { result, problem } = checker.compile(expression, 'bool');
    if (!result) {
      problems.push(`${kind.toLowerCase()} "${row.name}": ${problem!.message}`);
      return undefined;
    }
    return { kind, id: row.id, name: row.name, expression, reason: row.reason ?? row.description ?? null, fn: result.fn, attributes: result.attributes, ...extra };
  };

  const tiers = [...(s.tiers as Row[])].sort((a, b) => a.rank - b.rank);
  const tierChecks = tiers.filter((t) => t.criteria).map((t) => compileCheck('TIER', t, t.criteria));
  const disqualifiers = (s.disqualifiers as Row[]).filter((d) => d.expression).map((d) => compileCheck('DISQUALIFIER', d, d.expression));
  const triggers = (s.triggerEvents as Row[]).filter((d) => d.expression).map((d) => compileCheck('TRIGGER', d, d.expression));
  const dimensions = [...(s.scoringDimensions as Row[])].sort((a, b) => a.position - b.position);
  const dimIndex = new Map(dimensions.map((d, i) => [d.id, i]));
  const rules = [...(s.scoringRules as Row[])]
    .sort((a, b) => (dimIndex.get(a.dimensionId) ?? 0) - (dimIndex.get(b.dimensionId) ?? 0) || a.position - b.position)
    .map((r) => {
      const pts = checker.compile(r.points, 'number');
      if (!pts.result) {
        problems.push(`rule "${r.name}" points: ${pts.problem!.message}`);
        return undefined;
      }
      return compileCheck('RULE', r, r.condition || 'true', { points: pts.result.fn, pointsAttributes: pts.result.attributes, dimension: dimIndex.get(r.dimensionId) });
    });
  if (problems.length) throw new Error(`ICP ${source.icpSlug} version ${source.version} does not compile: ${problems.join('; ')}`);

  const checks = [...tierChecks, ...disqualifiers, ...triggers, ...rules] as Check[];
  const tierCount = tierChecks.length;
  const tierOfCheck = tiers.filter((t) => t.criteria);
  const disqStart = tierCount;
  const trigStart = disqStart + disqualifiers.length;
  const ruleStart = trigStart + triggers.length;
  const maxScore = round(dimensions.reduce((sum, d) => sum + d.max, 0));
  const bands = [...(s.actionBands as Row[])].sort((a, b) => b.minScore - a.minScore).map((b) => ({ name: b.name, minScore: b.minScore, action: b.action, description: b.description ?? null }));

  const withDates = (r: Row): Row => ({ ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });
  const personas = [...(s.personas as Row[])].sort((a, b) => a.position - b.position).map(withDates);
  const general = personas.filter((p) => !p.tierId);
  // Shared, frozen lists: scoring an account allocates none of them.
  const personasByTier = new Map(tiers.map((t) => [t.id, Object.freeze([...personas.filter((p) => p.tierId === t.id), ...general])]));
  const generalPersonas = Object.freeze(general);
  const useCasesByIndustry = new Map<string, Row[]>();
  for (const p of [...(s.useCasePatterns as Row[])].sort((a, b) => a.position - b.position)) {
    if (p.kind !== 'INDUSTRY') continue;
    for (const industry of p.industries as string[]) {
      const key = industry.toLowerCase();
      if (!useCasesByIndustry.has(key)) useCasesByIndustry.set(key, []);
      useCasesByIndustry.get(key)!.push(withDates(p));
    }
  }
  const hasIndustryPatterns = useCasesByIndustry.size > 0;
  const NONE = Object.freeze([]) as unknown as Row[];
  const validate = accountValidator((s.attributes as AttributeSpec[]) ?? []);
  const slots: unknown[] = [];

  const model: CompiledModel = {
    icpId: source.icpId,
    icpSlug: source.icpSlug,
    version: source.version,
    maxScore,
    score(account: AccountInput, path = 'account'): FitScore {
      const attrs = validate(account, path);
      const outcome = new Int8Array(checks.length).fill(NOT_RUN, 0, tierCount);
      const points = new Float64Array(rules.length);
      let missing: string[] | undefined;
      const run = (i: number): number => {
        const v = checks[i].fn(attrs, slots as never);
        if (v === true) return (outcome[i] = HELD);
        if (v === false) return (outcome[i] = NOT_HELD);
        missing = noteMissing(missing, checks[i].attributes, attrs);
        return (outcome[i] = NO_RESULT);
      };
      let tier = -1;
      for (let i = 0; i < tierCount; i++) {
        if (run(i) === HELD) {
          tier = i;
          break;
        }
      }
      let disqualified = false;
      for (let i = disqStart; i < trigStart; i++) if (run(i) === HELD) disqualified = true;
      for (let i = trigStart; i < ruleStart; i++) run(i);
      const dimScores = new Float64Array(dimensions.length);
      for (let i = ruleStart; i < checks.length; i++) {
        if (run(i) !== HELD) continue;
        const c = checks[i];
        const p = c.points!(attrs, slots as never);
        if (typeof p === 'number' && Number.isFinite(p)) {
          points[i - ruleStart] = p;
          dimScores[c.dimension!] += p;
        } else {
          outcome[i] = NO_RESULT;
          if (p === NO_VALUE) missing = noteMissing(missing, c.pointsAttributes!, attrs);
        }
      }
      let total = 0;
      for (let d = 0; d < dimensions.length; d++) {
        dimScores[d] = round(Math.min(Math.max(dimScores[d], 0), dimensions[d].max));
        total += dimScores[d];
      }
      total = round(total);
      let band = null;
      for (const b of bands) {
        if (b.minScore <= total) {
          band = b;
          break;
        }
      }
      const tierRow = tier >= 0 ? tierOfCheck[tier] : null;
      let useCases = NONE;
      if (hasIndustryPatterns) {
        const industry = attrs.industry;
        if (typeof industry === 'string') useCases = useCasesByIndustry.get(industry.toLowerCase()) ?? NONE;
        else missing = noteMissing(missing, ['industry'], attrs);
      }
      return new FitScore(
        account.key ?? null,
        source,
        total,
        maxScore,
        disqualified,
        tierRow ? { id: tierRow.id, name: tierRow.name, rank: tierRow.rank } : null,
        band,
        (tierRow ? personasByTier.get(tierRow.id) : generalPersonas) as unknown as Row[],
        useCases,
        missing ? missing.sort() : (NONE as unknown as string[]),
        { checks, outcome, points, dimScores, dimensions, ranges: [disqStart, trigStart, ruleStart] },
      );
    },
  };
  return model;
}

function noteMissing(list: string[] | undefined, names: string[], attrs: Account): string[] {
  for (const n of names) {
    if (attrs[n] === undefined && !(list ??= []).includes(n)) list.push(n);
  }
  return list ?? [];
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

/** The scored account. Lists that few clients read are built from the recorded evaluation on first access. */
export class FitScore {
  constructor(
    readonly accountKey: string | null,
    private readonly source: ModelSource,
    readonly score: number,
    readonly maxScore: number,
    readonly disqualified: boolean,
    readonly tier: { id: string; name: string; rank: number } | null,
    readonly band: { name: string; minScore: number; action: string; description: string | null } | null,
    readonly personas: Row[],
    readonly useCases: Row[],
    readonly missingAttributes: string[],
    private readonly run: {
      checks: Check[];
      outcome: Int8Array;
      points: Float64Array;
      dimScores: Float64Array;
      dimensions: Row[];
      ranges: [number, number, number];
    },
  ) {}

  get icpSlug(): string {
    return this.source.icpSlug;
  }
  get icpVersion(): number {
    return this.source.version;
  }
  get icpId(): string {
    return this.source.icpId;
  }

  private hits(from: number, to: number): RuleHit[] {
    const out: RuleHit[] = [];
    for (let i = from; i < to; i++) {
      if (this.run.outcome[i] !== HELD) continue;
      const c = this.run.checks[i];
      out.push({ id: c.id, name: c.name, expression: c.expression, reason: c.reason, points: c.kind === 'RULE' ? this.run.points[i - this.run.ranges[2]] : null });
    }
    return out;
  }

  get disqualifiers(): RuleHit[] {
    return this.hits(this.run.ranges[0], this.run.ranges[1]);
  }

  get triggers(): RuleHit[] {
    return this.hits(this.run.ranges[1], this.run.ranges[2]);
  }

  get dimensions(): { name: string; score: number; max: number; hits: RuleHit[] }[] {
    const ruleHits = this.hits(this.run.ranges[2], this.run.checks.length);
    const byId = new Map(this.run.checks.slice(this.run.ranges[2]).map((c) => [c.id, c.dimension!]));
    return this.run.dimensions.map((d, i) => ({ name: d.name, score: this.run.dimScores[i], max: d.max, hits: ruleHits.filter((h) => byId.get(h.id) === i) }));
  }

  /** Every check that was tested, whether it held, and the points it gave. */
  get explanation(): CheckResult[] {
    const out: CheckResult[] = [];
    const { checks, outcome, points, dimensions, ranges } = this.run;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      if (outcome[i] === NOT_RUN) continue;
      const attrs = c.kind === 'RULE' ? [...c.attributes, ...(c.pointsAttributes ?? [])] : c.attributes;
      out.push({
        kind: c.kind,
        id: c.id,
        name: c.name,
        expression: c.expression,
        held: outcome[i] === HELD,
        points: c.kind === 'RULE' ? (outcome[i] === HELD ? points[i - ranges[2]] : 0) : null,
        missingAttributes: outcome[i] === NO_RESULT ? attrs.filter((a) => this.missingAttributes.includes(a)) : [],
        dimension: c.kind === 'RULE' ? dimensions[c.dimension!].name : null,
      });
    }
    return out;
  }

}

/** Checks an account's attributes against the catalogue of the version; unknown attributes are ignored. */
export function accountValidator(catalogue: AttributeSpec[]): (account: AccountInput, path: string) => Account {
  const specs = catalogue.map((a) => ({ ...a, allowed: a.allowedValues?.length ? new Set(a.allowedValues) : null }));
  return (account, path) => {
    const attrs = account?.attributes;
    const who = account?.key ? ` (account "${account.key}")` : '';
    if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) throw new AccountError([{ path: `${path}.attributes`, message: `must be an object of attribute values${who}` }]);
    let problems: { path: string; message: string }[] | undefined;
    let nulls = false;
    for (const spec of specs) {
      const v = (attrs as Account)[spec.name];
      if (v === undefined) continue;
      if (v === null) {
        nulls = true;
        continue;
      }
      const wrong = typeProblem(spec, v);
      if (wrong) (problems ??= []).push({ path: `${path}.attributes.${spec.name}`, message: `${wrong}${who}` });
    }
    if (problems) throw new AccountError(problems);
    if (!nulls) return attrs as Account;
    // null means "not known": the same as leaving the attribute out.
    return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null));
  };
}

function typeProblem(spec: AttributeSpec & { allowed: Set<string> | null }, v: unknown): string | undefined {
  const got = JSON.stringify(v);
  switch (spec.type) {
    case 'INT':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : `must be a whole number, got ${got}`;
    case 'NUMBER':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `must be a number, got ${got}`;
    case 'BOOL':
      return typeof v === 'boolean' ? undefined : `must be true or false, got ${got}`;
    case 'STRING':
      if (typeof v !== 'string') return `must be a string, got ${got}`;
      return spec.allowed && !spec.allowed.has(v) ? `must be one of ${[...spec.allowed].join(', ')}, got ${got}` : undefined;
    case 'STRING_LIST':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `must be a list of strings, got ${got}`;
      if (spec.allowed) {
        const bad = v.find((x) => !spec.allowed!.has(x));
        if (bad !== undefined) return `items must be among ${[...spec.allowed].join(', ')}, got ${JSON.stringify(bad)}`;
      }
      return undefined;
  }
}
