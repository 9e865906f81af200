import { MAX_LIST_ITEMS } from '../api/src/scoring-engine/cost';
import {
  type AccountInput,
  accountValidator,
  type CheckResult,
  FitScore,
  type Provenance,
  type RuleHit,
  type TierMatch,
  type TierRef,
} from '../api/src/scoring-engine/engine';

/**
 * The limit of the engine benchmark (issue 18): ml-inference scored by a plain JavaScript function written by hand
 * from the snapshot's expressions, returning what `model.score()` returns: the same fields, the same lists in the
 * same order, the same explanation. The engine's semantics (api/src/scoring-engine/engine.ts) are followed
 * line by line, specialised to this one model: every expression is inlined, every attribute read once, and the
 * lists a client may never read are built on first access, as the engine builds them.
 *
 * Only the constants (ids, names, reasons, provenance) are taken from the snapshot. The expressions are written
 * here: `handWrittenMlInference` refuses a snapshot whose expressions or catalogue differ from the ones written
 * here, so the limit cannot silently drift from the model it is compared with (bench/peers.spec.ts checks it
 * equals the engine on generated accounts).
 */

type Row = Record<string, any>;
type Attrs = Record<string, any>;

// The expressions this file implements, as the snapshot holds them.
const TIER_CRITERIA = [
  "account.annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicated' && account.inferencesPerDay >= 1000000.0 && account.annualBudgetUsd >= 500000.0",
  "account.annualRevenueUsd >= 100000000.0 && account.annualRevenueUsd < 1000000000.0 && account.mlMaturity in ['growing', 'dedicated'] && account.inferencesPerDay >= 1000.0 && account.inferencesPerDay < 1000000000.0 && account.annualBudgetUsd >= 100000.0 && account.annualBudgetUsd < 500000.0",
  "account.annualRevenueUsd >= 10000000.0 && account.annualRevenueUsd < 100000000.0 && account.mlMaturity in ['early', 'growing', 'dedicated'] && account.inferencesPerDay >= 100.0 && account.inferencesPerDay < 1000000.0 && account.annualBudgetUsd >= 20000.0 && account.annualBudgetUsd < 100000.0",
];
const DISQUALIFIERS = [
  "account.mlMaturity == 'none'",
  "account.industry == 'Government'",
  "account.deployment == 'on-premise-only'",
  'account.annualBudgetUsd < 10000.0',
  'account.lookingForConsulting',
];
const SIGNALS = [
  'funding_round',
  'new_ml_leader',
  'ai_product_launch',
  'public_ai_commitment',
  'competitive_pressure',
  'scaling_challenges',
  'cost_complaints',
  'security_compliance_initiative',
  'performance_issues',
  'new_ml_team',
  'competitor_adopts_ai',
  'regulatory_change',
  'industry_disruption',
  'customer_expectations_shift',
];
/** One rule per dimension, condition `true`, in dimension order. */
const POINTS = ['useCaseFit', 'commercialFit', 'technicalFit', 'strategicValue'];
const CFO_WHEN = 'account.annualBudgetUsd >= 500000.0';
const CATALOGUE =
  'employees:INT annualRevenueUsd:NUMBER employeeGrowthYoY:NUMBER industry:STRING fundingStage:STRING:7 country:STRING ' +
  'digitalNative:BOOL isMsp:BOOL departments:STRING_LIST currentTools:STRING_LIST cloudProviders:STRING_LIST:3 ' +
  'monthlyCloudSpendUsd:NUMBER iacTools:STRING_LIST:3 devopsTeamSize:INT mlMaturity:STRING:4 inferencesPerDay:NUMBER ' +
  'annualBudgetUsd:NUMBER deployment:STRING:3 lookingForConsulting:BOOL decisionMakerTitles:STRING_LIST ' +
  'leadSource:STRING:5 signals:STRING_LIST useCaseFit:NUMBER commercialFit:NUMBER technicalFit:NUMBER strategicValue:NUMBER';

// A check's outcome, as the engine records it.
const HELD = 1;
const NOT_HELD = 0;
const UNKNOWN = -1;
const NOT_RUN = 2;

interface Meta {
  id: string;
  name: string;
  expression: string;
  reason: string | null;
  provenance: Provenance;
}

interface Band {
  name: string;
  minScore: number;
  action: string;
  description: string | null;
  provenance: Provenance;
}

/** What every score shares: the snapshot's constants. */
interface Model {
  icpId: string;
  icpSlug: string;
  version: number;
  tierRefs: TierRef[];
  tiers: Meta[];
  conditionTexts: string[][];
  disqualifiers: Meta[];
  dqActions: string[];
  triggers: Meta[];
  rules: Meta[];
  dimensions: { name: string; max: number }[];
  bands: Band[];
  personas: Row[];
  personasWithCfo: Row[];
  /** Frozen, built once: each check's explanation entry when it did not hold [0], held [1], was unknown [2]. */
  tierEntries: CheckResult[][];
  dqEntries: CheckResult[][];
  triggerEntries: CheckResult[][];
  ruleUnknown: CheckResult[];
  dqHits: RuleHit[];
  triggerHits: RuleHit[];
  useCasesByIndustry: Map<string, Row[]>;
}

const TIER_ATTRIBUTES = ['annualRevenueUsd', 'mlMaturity', 'inferencesPerDay', 'annualBudgetUsd'];
const DQ_ATTRIBUTE = ['mlMaturity', 'industry', 'deployment', 'annualBudgetUsd', 'lookingForConsulting'];
const NO_STRINGS: string[] = Object.freeze([]) as unknown as string[];
const NO_ROWS: Row[] = Object.freeze([]) as unknown as Row[];

const round = (x: number) => Math.round(x * 1e9) / 1e9;

// The validator's fast path, by hand: true when every catalogue attribute is absent or of its type (null: no).
const int = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v));
const num = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const str = (v: unknown) => v === undefined || typeof v === 'string';
const bool = (v: unknown) => v === undefined || typeof v === 'boolean';
const oneOf = (v: unknown, allowed: Set<string>) => v === undefined || (typeof v === 'string' && allowed.has(v));
function list(v: unknown, allowed?: Set<string>): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v) || v.length > MAX_LIST_ITEMS) return false;
  for (const x of v) if (typeof x !== 'string' || (allowed && !allowed.has(x))) return false;
  return true;
}

/** `ml-inference`'s published snapshot → its scoring function. */
export function handWrittenMlInference(
  snapshot: Row,
  version = 1,
): (account: AccountInput, path?: string) => HandScore {
  const m = constants(snapshot, version);
  const allowed = (name: string) =>
    new Set<string>((snapshot.attributes as Row[]).find((a) => a.name === name)!.allowedValues);
  const [funding, clouds, iac, maturity, deployment, leadSource] = [
    'fundingStage',
    'cloudProviders',
    'iacTools',
    'mlMaturity',
    'deployment',
    'leadSource',
  ].map(allowed);
  // Nulls and wrong types: the engine's own validator, for the same messages (the benchmark's accounts are valid).
  const slowPath = accountValidator(snapshot.attributes);
  const signalBit = new Map(SIGNALS.map((s, i) => [s, 1 << i]));

  return (account, path = 'account') => {
    let a = account?.attributes as Attrs;
    if (
      !a ||
      typeof a !== 'object' ||
      Array.isArray(a) ||
      !(
        int(a.employees) &&
        num(a.annualRevenueUsd) &&
        num(a.employeeGrowthYoY) &&
        str(a.industry) &&
        oneOf(a.fundingStage, funding) &&
        str(a.country) &&
        bool(a.digitalNative) &&
        bool(a.isMsp) &&
        list(a.departments) &&
        list(a.currentTools) &&
        list(a.cloudProviders, clouds) &&
        num(a.monthlyCloudSpendUsd) &&
        list(a.iacTools, iac) &&
        int(a.devopsTeamSize) &&
        oneOf(a.mlMaturity, maturity) &&
        num(a.inferencesPerDay) &&
        num(a.annualBudgetUsd) &&
        oneOf(a.deployment, deployment) &&
        bool(a.lookingForConsulting) &&
        list(a.decisionMakerTitles) &&
        oneOf(a.leadSource, leadSource) &&
        list(a.signals) &&
        num(a.useCaseFit) &&
        num(a.commercialFit) &&
        num(a.technicalFit) &&
        num(a.strategicValue)
      )
    )
      a = slowPath(account, path);

    const revenue: number | undefined = a.annualRevenueUsd;
    const ml: string | undefined = a.mlMaturity;
    const volume: number | undefined = a.inferencesPerDay;
    const budget: number | undefined = a.annualBudgetUsd;
    const industry: string | undefined = a.industry;
    const dep: string | undefined = a.deployment;
    const consulting: boolean | undefined = a.lookingForConsulting;
    const signals: string[] | undefined = a.signals;

    // Tiers in rank order until one holds; a tier stops at its first failed condition.
    const level = ml === undefined ? undefined : LEVELS[ml];
    const t1 = rangeTier(TIER_RANGES[0], revenue, level, volume, budget);
    const t2 = t1 === HELD ? NOT_RUN : rangeTier(TIER_RANGES[1], revenue, level, volume, budget);
    const t3 = t1 === HELD || t2 === HELD ? NOT_RUN : rangeTier(TIER_RANGES[2], revenue, level, volume, budget);
    const tier = t1 === HELD ? 0 : t2 === HELD ? 1 : t3 === HELD ? 2 : -1;

    // Disqualifiers: bit i held.
    let dq = 0;
    if (ml === 'none') dq |= 1;
    if (industry === 'Government') dq |= 2;
    if (dep === 'on-premise-only') dq |= 4;
    if (budget !== undefined && budget < 10000) dq |= 8;
    if (consulting === true) dq |= 16;

    // Triggers: bit i held.
    let triggers = 0;
    if (signals !== undefined) for (const s of signals) triggers |= signalBit.get(s) ?? 0;

    // One rule per dimension: its points, clamped to the dimension's range.
    const p0: number | undefined = a.useCaseFit;
    const p1: number | undefined = a.commercialFit;
    const p2: number | undefined = a.technicalFit;
    const p3: number | undefined = a.strategicValue;
    const d = m.dimensions;
    const c0 = p0 === undefined ? 0 : Math.min(Math.max(p0, 0), d[0].max);
    const c1 = p1 === undefined ? 0 : Math.min(Math.max(p1, 0), d[1].max);
    const c2 = p2 === undefined ? 0 : Math.min(Math.max(p2, 0), d[2].max);
    const c3 = p3 === undefined ? 0 : Math.min(Math.max(p3, 0), d[3].max);
    const score = round(round(c0) + round(c1) + round(c2) + round(c3));
    const disqualified = dq !== 0;

    let missing = NO_STRINGS;
    let deciding = NO_STRINGS;
    const tierUnknown = t1 === UNKNOWN || t2 === UNKNOWN || t3 === UNKNOWN;
    const pointsUnknown = p0 === undefined || p1 === undefined || p2 === undefined || p3 === undefined;
    if (
      tierUnknown ||
      pointsUnknown ||
      ml === undefined ||
      industry === undefined ||
      dep === undefined ||
      budget === undefined ||
      consulting === undefined ||
      signals === undefined
    ) {
      // In sorted order, as the engine sorts them. Revenue and volume are read by tiers alone.
      missing = [];
      if (budget === undefined) missing.push('annualBudgetUsd');
      if (tierUnknown && revenue === undefined) missing.push('annualRevenueUsd');
      if (p1 === undefined) missing.push('commercialFit');
      if (dep === undefined) missing.push('deployment');
      if (industry === undefined) missing.push('industry');
      if (tierUnknown && volume === undefined) missing.push('inferencesPerDay');
      if (consulting === undefined) missing.push('lookingForConsulting');
      if (ml === undefined) missing.push('mlMaturity');
      if (signals === undefined) missing.push('signals');
      if (p3 === undefined) missing.push('strategicValue');
      if (p2 === undefined) missing.push('technicalFit');
      if (p0 === undefined) missing.push('useCaseFit');
      if (!disqualified) {
        // Tiers better than the matched one that are unknown; unknown disqualifiers; unknown points that could move the band.
        const betterUnknown = t1 === UNKNOWN || (tier !== 1 && (t2 === UNKNOWN || (tier !== 2 && t3 === UNKNOWN)));
        let pointsDecide = false;
        if (pointsUnknown) {
          // The lowest possible score: the unknown points add 0; the highest: each unknown dimension at its max.
          const high =
            (p0 === undefined ? d[0].max : c0) +
            (p1 === undefined ? d[1].max : c1) +
            (p2 === undefined ? d[2].max : c2) +
            (p3 === undefined ? d[3].max : c3);
          pointsDecide = bandOf(m.bands, round(c0 + c1 + c2 + c3)) !== bandOf(m.bands, round(high));
        }
        const names: string[] = [];
        if (budget === undefined) names.push('annualBudgetUsd');
        if (betterUnknown && revenue === undefined) names.push('annualRevenueUsd');
        if (pointsDecide && p1 === undefined) names.push('commercialFit');
        if (dep === undefined) names.push('deployment');
        if (industry === undefined) names.push('industry');
        if (betterUnknown && volume === undefined) names.push('inferencesPerDay');
        if (consulting === undefined) names.push('lookingForConsulting');
        if (ml === undefined) names.push('mlMaturity');
        if (pointsDecide && p3 === undefined) names.push('strategicValue');
        if (pointsDecide && p2 === undefined) names.push('technicalFit');
        if (pointsDecide && p0 === undefined) names.push('useCaseFit');
        if (names.length) deciding = names;
      }
    }

    let band: Band | null = null;
    let action: string;
    if (disqualified) action = m.dqActions[31 - Math.clz32(dq & -dq)];
    else {
      band = bandOf(m.bands, score);
      if (deciding.length) action = `Needs data: ${deciding.join(', ')}`;
      else action = band ? band.action : noBand(score, m.bands.length);
    }
    const useCases =
      typeof industry === 'string'
        ? (m.useCasesByIndustry.get(industry) ?? m.useCasesByIndustry.get(industry.toLowerCase()) ?? NO_ROWS)
        : NO_ROWS;
    return new HandScore(
      m,
      account.key ?? null,
      score,
      disqualified,
      tier >= 0 ? m.tierRefs[tier] : null,
      band,
      action,
      deciding.length > 0,
      deciding,
      useCases,
      missing,
      a,
      (t1 + 1) | ((t2 + 1) << 4) | ((t3 + 1) << 8),
      dq,
      triggers,
    );
  };
}

/**
 * Each tier is written as ranges: revenue, volume and budget each at least its low bound and under its high one
 * (Infinity: no high bound, as in Tier 1), and a maturity of at least the tier's level (`in ['growing',
 * 'dedicated']` is "growing or more"). HELD; NOT_HELD at the first failed condition; else UNKNOWN (a condition read
 * a missing attribute).
 */
interface TierRanges {
  revenue: [number, number];
  level: number;
  volume: [number, number];
  budget: [number, number];
}
const TIER_RANGES: TierRanges[] = [
  { revenue: [1e9, Infinity], level: 3, volume: [1e6, Infinity], budget: [5e5, Infinity] },
  { revenue: [1e8, 1e9], level: 2, volume: [1e3, 1e9], budget: [1e5, 5e5] },
  { revenue: [1e7, 1e8], level: 1, volume: [100, 1e6], budget: [2e4, 1e5] },
];
const LEVELS: Record<string, number> = { none: 0, early: 1, growing: 2, dedicated: 3 };

function rangeTier(t: TierRanges, revenue?: number, level?: number, volume?: number, budget?: number): number {
  let u = false;
  if (revenue === undefined) u = true;
  else if (!(revenue >= t.revenue[0] && revenue < t.revenue[1])) return NOT_HELD;
  if (level === undefined) u = true;
  else if (level < t.level) return NOT_HELD;
  if (volume === undefined) u = true;
  else if (!(volume >= t.volume[0] && volume < t.volume[1])) return NOT_HELD;
  if (budget === undefined) u = true;
  else if (!(budget >= t.budget[0] && budget < t.budget[1])) return NOT_HELD;
  return u ? UNKNOWN : HELD;
}

/** Every condition of every tier (tierMatches): 'HELD', 'FAILED' or 'UNKNOWN', in the criteria's order. */
function conditionOutcomes(a: Attrs): string[][] {
  const o = (v: unknown, holds: boolean) => (v === undefined ? 'UNKNOWN' : holds ? 'HELD' : 'FAILED');
  const { annualRevenueUsd: r, mlMaturity: ml, inferencesPerDay: v, annualBudgetUsd: b } = a;
  return [
    [o(r, r >= 1e9), o(ml, ml === 'dedicated'), o(v, v >= 1e6), o(b, b >= 5e5)],
    [
      o(r, r >= 1e8),
      o(r, r < 1e9),
      o(ml, ml === 'growing' || ml === 'dedicated'),
      o(v, v >= 1e3),
      o(v, v < 1e9),
      o(b, b >= 1e5),
      o(b, b < 5e5),
    ],
    [
      o(r, r >= 1e7),
      o(r, r < 1e8),
      o(ml, ml === 'early' || ml === 'growing' || ml === 'dedicated'),
      o(v, v >= 100),
      o(v, v < 1e6),
      o(b, b >= 2e4),
      o(b, b < 1e5),
    ],
  ];
}

function bandOf(bands: Band[], score: number): Band | null {
  for (const b of bands) if (b.minScore <= score) return b;
  return null;
}

const noBand = (score: number, bands: number) =>
  bands ? `No action band: a score of ${score} is below every band` : 'No action band: this ICP defines none';

/** The scored account, field for field the engine's FitScore; lists built on first access. */
export class HandScore {
  constructor(
    private readonly m: Model,
    readonly accountKey: string | null,
    readonly score: number,
    readonly disqualified: boolean,
    readonly tier: TierRef | null,
    readonly band: Band | null,
    readonly action: string,
    readonly undetermined: boolean,
    readonly decidingAttributes: string[],
    readonly useCases: Row[],
    readonly missingAttributes: string[],
    private readonly a: Attrs,
    /** Each tier's outcome + 1, 4 bits each. */
    private readonly tierBits: number,
    private readonly dqBits: number,
    private readonly triggerBits: number,
  ) {}

  get maxScore(): number {
    return this.m.dimensions.reduce((s, d) => s + d.max, 0);
  }
  get icpSlug(): string {
    return this.m.icpSlug;
  }
  get icpVersion(): number {
    return this.m.version;
  }
  get icpId(): string {
    return this.m.icpId;
  }

  get personas(): Row[] {
    const b = this.a.annualBudgetUsd;
    return b !== undefined && b >= 5e5 ? this.m.personasWithCfo : this.m.personas;
  }

  private tierOutcome(i: number): number {
    return ((this.tierBits >> (4 * i)) & 15) - 1;
  }

  get tierMatches(): TierMatch[] {
    const outcomes = conditionOutcomes(this.a);
    return this.m.tierRefs.map((tier, i) => {
      const conditions = outcomes[i].map((outcome, j) => ({
        text: this.m.conditionTexts[i][j],
        outcome: outcome as 'HELD',
        attributes: [TIER_ATTRIBUTES[conditionAttribute(i, j)]],
        error: null,
      }));
      return { tier, held: outcomes[i].filter((o) => o === 'HELD').length, total: conditions.length, conditions };
    });
  }

  private pointsOf(i: number): number | undefined {
    const a = this.a;
    return i === 0 ? a.useCaseFit : i === 1 ? a.commercialFit : i === 2 ? a.technicalFit : a.strategicValue;
  }

  get disqualifiers(): RuleHit[] {
    return bits(this.dqBits, this.m.dqHits);
  }

  get triggers(): RuleHit[] {
    return bits(this.triggerBits, this.m.triggerHits);
  }

  get dimensions(): { name: string; score: number; max: number; hits: RuleHit[] }[] {
    const { dimensions, rules } = this.m;
    const out: { name: string; score: number; max: number; hits: RuleHit[] }[] = [];
    for (let i = 0; i < 4; i++) {
      const { name, max } = dimensions[i];
      const p = this.pointsOf(i);
      out.push(
        p === undefined
          ? { name, score: 0, max, hits: [] }
          : { name, score: round(Math.min(Math.max(p, 0), max)), max, hits: [hit(rules[i], p)] },
      );
    }
    return out;
  }

  /** Entries that depend on the account only through held / not held / unknown are the model's, built once. */
  get explanation(): CheckResult[] {
    const out: CheckResult[] = [];
    const { m, a } = this;
    for (let i = 0; i < 3; i++) {
      const o = this.tierOutcome(i);
      if (o === NOT_RUN) continue;
      if (o !== UNKNOWN) out.push(m.tierEntries[i][o]);
      else {
        const missing = TIER_ATTRIBUTES.filter((n) => a[n] === undefined);
        out.push(entry('TIER', m.tiers[i], false, null, missing, null));
      }
    }
    const dq = m.dqEntries;
    out.push(
      a.mlMaturity === undefined ? dq[0][2] : dq[0][this.dqBits & 1],
      a.industry === undefined ? dq[1][2] : dq[1][(this.dqBits >> 1) & 1],
      a.deployment === undefined ? dq[2][2] : dq[2][(this.dqBits >> 2) & 1],
      a.annualBudgetUsd === undefined ? dq[3][2] : dq[3][(this.dqBits >> 3) & 1],
      a.lookingForConsulting === undefined ? dq[4][2] : dq[4][(this.dqBits >> 4) & 1],
    );
    const t = m.triggerEntries;
    if (a.signals === undefined) for (let i = 0; i < t.length; i++) out.push(t[i][2]);
    else for (let i = 0; i < t.length; i++) out.push(t[i][(this.triggerBits >> i) & 1]);
    for (let i = 0; i < 4; i++) {
      const p = this.pointsOf(i);
      out.push(p === undefined ? m.ruleUnknown[i] : entry('RULE', m.rules[i], true, p, [], m.dimensions[i].name));
    }
    return out;
  }

  /** When no tier holds, the nearest: the engine's own rule (not timed: clients read it through tierMatches). */
  declare readonly nearestTier: TierMatch | null;
  /** Plain data, every field and list in the engine's order: the engine's own toJSON over these getters. */
  declare toJSON: () => Record<string, unknown>;
}

for (const name of ['nearestTier', 'toJSON'] as const)
  Object.defineProperty(HandScore.prototype, name, Object.getOwnPropertyDescriptor(FitScore.prototype, name)!);

/** Which of TIER_ATTRIBUTES tier i's condition j reads (tier 1: one condition each; tiers 2 and 3: two each but maturity). */
function conditionAttribute(i: number, j: number): number {
  return i === 0 ? j : j < 2 ? 0 : j === 2 ? 1 : j < 5 ? 2 : 3;
}

/** The hits whose bit is set, in order. */
function bits(mask: number, hits: RuleHit[]): RuleHit[] {
  const out: RuleHit[] = [];
  for (let i = 0; mask !== 0; i++, mask >>>= 1) if (mask & 1) out.push(hits[i]);
  return out;
}

function hit(c: Meta, points: number | null): RuleHit {
  return { id: c.id, name: c.name, expression: c.expression, reason: c.reason, points, provenance: c.provenance };
}

function entry(
  kind: CheckResult['kind'],
  c: Meta,
  held: boolean,
  points: number | null,
  missingAttributes: string[],
  dimension: string | null,
): CheckResult {
  const { id, name, expression, provenance } = c;
  return { kind, id, name, expression, held, error: null, points, missingAttributes, dimension, provenance };
}

/** The snapshot's constants, after checking that its expressions are the ones written above. */
function constants(s: Row, version: number): Model {
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `the hand-written ml-inference no longer matches the snapshot: ${what} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
      );
  };
  const meta = (r: Row, expression: string): Meta => ({
    id: r.id,
    name: r.name,
    expression,
    reason: r.reason ?? r.description ?? null,
    provenance: r.provenance ?? null,
  });
  const catalogue = (s.attributes as Row[]).map((a) =>
    [a.name, a.type, ...(a.allowedValues.length ? [a.allowedValues.length] : [])].join(':'),
  );
  expect('the catalogue', catalogue.join(' '), CATALOGUE);
  const tiers = [...(s.tiers as Row[])].sort((a, b) => a.rank - b.rank).filter((t) => t.criteria);
  expect(
    'the tier criteria',
    tiers.map((t) => t.criteria),
    TIER_CRITERIA,
  );
  const disqualifiers = (s.disqualifiers as Row[]).filter((d) => d.expression);
  expect(
    'the disqualifiers',
    disqualifiers.map((d) => d.expression),
    DISQUALIFIERS,
  );
  const triggers = (s.triggerEvents as Row[]).filter((d) => d.expression);
  expect(
    'the triggers',
    triggers.map((t) => t.expression),
    SIGNALS.map((x) => `'${x}' in account.signals`),
  );
  const dimensions = [...(s.scoringDimensions as Row[])].sort((a, b) => a.position - b.position);
  const rules = dimensions.map((d) => (s.scoringRules as Row[]).filter((r) => r.dimensionId === d.id));
  expect(
    'the rules',
    rules.map((rs) => rs.map((r) => [r.condition, r.points])),
    POINTS.map((p) => [['true', `account.${p}`]]),
  );
  const withDates = (r: Row): Row => ({ ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });
  const personas = [...(s.personas as Row[])].sort((a, b) => a.position - b.position).map(withDates);
  expect(
    "the personas' tiers and conditions",
    personas.map((p) => [p.tierId ?? null, p.appliesWhen ?? null]),
    [
      [null, null],
      [null, null],
      [null, null],
      [null, CFO_WHEN],
    ],
  );
  // A pattern is listed for each of its industries, as written and in lower case.
  const useCasesByIndustry = new Map<string, Row[]>();
  const add = (key: string, p: Row) => useCasesByIndustry.set(key, [...(useCasesByIndustry.get(key) ?? []), p]);
  for (const p of [...(s.useCasePatterns as Row[])].sort((a, b) => a.position - b.position).map(withDates))
    for (const industry of p.industries as string[]) {
      add(industry, p);
      if (industry.toLowerCase() !== industry) add(industry.toLowerCase(), p);
    }
  const bands: Band[] = [...(s.actionBands as Row[])]
    .sort((a, b) => b.minScore - a.minScore)
    .map(({ name, minScore, action, description = null, provenance = null }) =>
      Object.freeze({ name, minScore, action, description, provenance }),
    );
  const tierMetas = tiers.map((t) => ({ ...meta(t, t.criteria), reason: t.description ?? null }));
  const dqMetas = disqualifiers.map((d) => meta(d, d.expression));
  const triggerMetas = triggers.map((t) => meta(t, t.expression));
  const ruleMetas = rules.map(([r]) => meta(r, r.condition));
  const frozen = (e: CheckResult) =>
    Object.freeze({ ...e, missingAttributes: Object.freeze(e.missingAttributes) as string[] });
  const outcomes = (kind: CheckResult['kind'], c: Meta, unknown: string[]) => [
    frozen(entry(kind, c, false, null, [], null)),
    frozen(entry(kind, c, true, null, [], null)),
    frozen(entry(kind, c, false, null, unknown, null)),
  ];
  return {
    tierEntries: tierMetas.map((c) => outcomes('TIER', c, [])),
    dqEntries: dqMetas.map((c, i) => outcomes('DISQUALIFIER', c, [DQ_ATTRIBUTE[i]])),
    triggerEntries: triggerMetas.map((c) => outcomes('TRIGGER', c, ['signals'])),
    ruleUnknown: ruleMetas.map((c, i) => frozen(entry('RULE', c, false, 0, [POINTS[i]], dimensions[i].name))),
    dqHits: dqMetas.map((c) => Object.freeze(hit(c, null))),
    triggerHits: triggerMetas.map((c) => Object.freeze(hit(c, null))),
    icpId: s.icp.id,
    icpSlug: s.icp.slug,
    version,
    tierRefs: tiers.map((t) =>
      Object.freeze({
        id: `${s.icp.id}:${version}:${t.id}`,
        partId: t.id,
        name: t.name,
        rank: t.rank,
        provenance: (t.provenance ?? null) as Provenance,
      }),
    ),
    tiers: tierMetas,
    conditionTexts: TIER_CRITERIA.map((c) => c.split('&&').map((x) => x.trim())),
    disqualifiers: dqMetas,
    dqActions: disqualifiers.map((d) => `Do not pursue: ${d.reason ?? d.name}`),
    triggers: triggerMetas,
    rules: ruleMetas,
    dimensions: dimensions.map((d) => ({ name: d.name, max: d.max })),
    bands,
    personas: personas.slice(0, 3),
    personasWithCfo: personas,
    useCasesByIndustry,
  };
}
