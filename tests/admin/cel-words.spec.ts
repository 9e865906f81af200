import fs from 'node:fs';
import path from 'node:path';
import { parseCel, printCel } from '../../admin/src/icps/cel-parse';
import { attributeWords } from '../../admin/src/attribute-label';
import { conditionInWords, pointsInWords } from '../../admin/src/icps/cel-words';
import { checkerFor, type ExpressionChecker } from '../../api/src/scoring-engine/cel';
import { readYaml } from '../../api/src/demo/load-demo';

// The console's CEL → words renderer (admin/src/icps/cel-words.ts), over every expression of the demo ICPs.
type Row = Record<string, any>;
const catalogue = (readYaml('workspace.yaml') as { attributes: Row[] }).attributes as never[];
const DEMO = path.resolve(__dirname, '../../api/src/demo');

/** Every expression in the demo ICP files: conditions (criteria, disqualifiers, triggers, rules, …) and points. */
function demoExpressions(): { conditions: string[]; points: string[] } {
  const conditions = new Set<string>();
  const points = new Set<string>();
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && ['criteria', 'expression', 'condition', 'appliesWhen'].includes(key!))
      conditions.add(v);
    else if (typeof v === 'string' && key === 'points') points.add(v);
  };
  for (const f of fs.readdirSync(DEMO).filter((f) => f.endsWith('.icp.yaml'))) walk(readYaml(f));
  return { conditions: [...conditions], points: [...points] };
}
const { conditions, points } = demoExpressions();

describe('conditionInWords: the demo expressions read as a sales leader writes them', () => {
  it.each([
    ['account.annualRevenueUsd >= 1000000000.0', ['annual revenue ≥ $1B']],
    ['account.annualRevenueUsd < 100000000.0', ['annual revenue < $100M']],
    ['account.annualBudgetUsd < 6000.0', ['annual budget < $6K']],
    ['account.monthlyCloudSpendUsd >= 2500000.0', ['monthly cloud spend ≥ $2.5M']],
    ['account.annualRevenueUsd >= 1234567.0', ['annual revenue ≥ $1,234,567']],
    ['account.employees >= 200 && account.employees <= 5000', ['employees between 200 and 5,000']],
    ['account.employees > 2000', ['employees > 2,000']],
    ['account.employeeGrowthYoY >= 0.3', ['employee growth YoY ≥ 30%']],
    ['account.employeeGrowthYoY >= 0.025', ['employee growth YoY ≥ 2.5%']],
    ["account.mlMaturity == 'dedicated'", ['ML maturity is dedicated']],
    ["account.deployment != 'cloud'", ['deployment is not cloud']],
    ["account.mlMaturity in ['growing', 'dedicated']", ['ML maturity is growing or dedicated']],
    ["account.industry in ['SaaS', 'FinTech', 'HealthTech']", ['industry is SaaS, FinTech or HealthTech']],
    ["'funding_round' in account.signals", ['signals include funding_round']],
    [
      "account.currentTools.exists(t, t in ['jenkins', 'github-actions'])",
      ['current tools include jenkins or github-actions'],
    ],
    ["account.iacTools.exists(t, t == 'pulumi')", ['IaC tools include pulumi']],
    ['size(account.cloudProviders) == 0', ['no cloud providers']],
    ['account.isMsp', ['is MSP']],
    ['!account.digitalNative', ['not digital native']],
    ['account.lookingForConsulting == false', ['not looking for consulting']],
    ['true', ['always']],
    ["account.isMsp || 'aws' in account.cloudProviders", ['is MSP or cloud providers include aws']],
    [
      "account.annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicated' && account.inferencesPerDay >= 1000000.0",
      ['annual revenue ≥ $1B', 'ML maturity is dedicated', 'inferences per day ≥ 1,000,000'],
    ],
    ['1000 <= account.employees', ['employees ≥ 1,000']],
  ])('%s', (cel, words) => {
    const phrases = conditionInWords(cel, catalogue);
    expect(phrases.map((p) => p.text)).toEqual(words);
    expect(phrases.every((p) => p.words)).toBe(true);
  });

  it.each([
    // What it cannot say exactly stays CEL: arithmetic, functions, ternaries, nested and/or, unknown flags.
    ['account.employees * 2 > 100', ['account.employees * 2 > 100']],
    ["account.industry.startsWith('Fin')", ["account.industry.startsWith('Fin')"]],
    ['account.employees > 10 ? true : false', ['account.employees > 10 ? true : false']],
    [
      '(account.isMsp && account.employees > 5) || account.digitalNative',
      ['(account.isMsp && account.employees > 5) || account.digitalNative'],
    ],
    ['account.employees', ['account.employees']],
    ['account.employees < 1 < 2', ['account.employees < 1 < 2']],
    ["account.industry == r'x'", ["account.industry == r'x'"]],
    ['account.employees > 0x10', ['account.employees > 0x10']],
    ['account.employees >= 9007199254740993', ['account.employees >= 9007199254740993']],
  ])('%s is shown as CEL', (cel, shown) => {
    const phrases = conditionInWords(cel, catalogue);
    expect(phrases.map((p) => p.text)).toEqual(shown);
    expect(phrases.every((p) => !p.words && p.text === p.cel)).toBe(true);
  });

  it('keeps the part it can say in words and shows the rest of the chain as written', () => {
    expect(conditionInWords("account.employees > 10 && account.industry.startsWith('Fin')", catalogue)).toEqual([
      { text: 'employees > 10', words: true, cel: 'account.employees > 10' },
      { text: "account.industry.startsWith('Fin')", words: false, cel: "account.industry.startsWith('Fin')" },
    ]);
  });

  it(`says every demo condition in words (${conditions.length} expressions), each phrase a part of its text`, () => {
    expect(conditions.length).toBeGreaterThanOrEqual(60);
    const unsaid: string[] = [];
    for (const cel of conditions) {
      const phrases = conditionInWords(cel, catalogue);
      expect(phrases.length).toBeGreaterThan(0);
      for (const p of phrases) {
        expect(cel).toContain(p.cel);
        if (!p.words) {
          expect(p.text).toBe(p.cel);
          unsaid.push(p.cel);
        } else expect(p.text).not.toMatch(/account\.|&&|\|\||==/);
      }
    }
    expect(unsaid).toEqual([]);
  });
});

describe('the reader behind the words understands each demo expression as CEL does', () => {
  let checker: ExpressionChecker;
  beforeAll(async () => {
    checker = await checkerFor(catalogue);
  });

  /** A small seeded generator (mulberry32): the same accounts every run. */
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Accounts around the expression's own literals: each bound, either side of it, each listed value, missing. */
  function accounts(cel: string, n: number): Record<string, unknown>[] {
    const rnd = random(cel.length * 7919 + n);
    const numbers = [...cel.matchAll(/\d+(\.\d+)?/g)].map((m) => Number(m[0]));
    const texts = [...cel.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const account: Record<string, unknown> = {};
      for (const a of catalogue as Row[]) {
        if (!cel.includes(`account.${a.name}`) || rnd() < 0.1) continue;
        const near = numbers.flatMap((x) => [x, x - 1, x + 1, x * 0.99, x * 1.01]).concat([0]);
        const words = [...texts, ...(a.allowedValues ?? []), 'other'];
        account[a.name] = {
          INT: () => Math.round(pick(near)),
          NUMBER: () => pick(near),
          BOOL: () => rnd() < 0.5,
          STRING: () => pick(words),
          STRING_LIST: () => words.filter(() => rnd() < 0.3),
        }[a.type as 'INT']();
      }
      out.push(account);
    }
    return out;
  }

  it('re-printing what it read gives the same answer as the text, on accounts around every bound', () => {
    let compared = 0;
    for (const cel of [...conditions, ...points]) {
      const tree = parseCel(cel.trim());
      const expect_ = points.includes(cel) ? 'number' : 'bool';
      const original = checker.compile(cel, expect_);
      const reprinted = checker.compile(printCel(tree), expect_);
      expect(original.problem).toBeUndefined();
      expect(reprinted.problem).toBeUndefined();
      for (const account of accounts(cel, 60)) {
        expect([cel, account, reprinted.result!.fn(account)]).toEqual([cel, account, original.result!.fn(account)]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(4000);
  });
});

describe('pointsInWords and labels', () => {
  it('says literal points and rep ratings, and every demo points expression', () => {
    expect(pointsInWords('3.0', catalogue).text).toBe('3 points');
    expect(pointsInWords('1', catalogue).text).toBe('1 point');
    expect(pointsInWords('account.useCaseFit', catalogue).text).toBe("the account's use case fit");
    expect(pointsInWords('account.useCaseFit * 2.0', catalogue)).toEqual({
      text: 'account.useCaseFit * 2.0',
      words: false,
      cel: 'account.useCaseFit * 2.0',
    });
    for (const p of points) expect(pointsInWords(p, catalogue).words).toBe(true);
  });

  it('makes labels from names, and prefers a label the catalogue gives', () => {
    expect(attributeWords({ name: 'annualRevenueUsd', unit: 'USD per year' })).toBe('annual revenue');
    expect(attributeWords({ name: 'annualRevenueUsd' })).toBe('annual revenue USD');
    expect(attributeWords({ name: 'mlMaturity' })).toBe('ML maturity');
    expect(attributeWords({ name: 'devopsTeamSize' })).toBe('DevOps team size');
    expect(attributeWords({ name: 'annualRevenueUsd', label: 'Revenue' })).toBe('Revenue');
  });
});
