import { type AttributeSpec, checkerFor, type ExpressionChecker } from './cel';
import { NO_VALUE } from './compile';

const catalogue: AttributeSpec[] = [
  { name: 'employees', type: 'INT' },
  { name: 'revenue', type: 'NUMBER' },
  { name: 'industry', type: 'STRING' },
  { name: 'isMsp', type: 'BOOL' },
  { name: 'signals', type: 'STRING_LIST' },
];

let checker: ExpressionChecker;
beforeAll(async () => {
  checker = await checkerFor(catalogue);
});

const run = (expression: string, account: Record<string, unknown>, expect: 'bool' | 'number' = 'bool') => {
  const { result, problem } = checker.compile(expression, expect);
  if (!result) throw new Error(problem!.message);
  return result.fn(account);
};

describe('compiled CEL', () => {
  it.each([
    ['account.employees >= 200 && account.employees <= 5000', { employees: 300 }, true],
    ['account.employees >= 200 && account.employees <= 5000', { employees: 6000 }, false],
    ["account.industry in ['SaaS', 'FinTech']", { industry: 'SaaS' }, true],
    ["'funding_round' in account.signals", { signals: ['funding_round'] }, true],
    ["account.signals.exists(s, s.startsWith('fund'))", { signals: ['x', 'funding'] }, true],
    ['account.signals.all(s, size(s) > 0)', { signals: [] }, true],
    ["account.signals.exists_one(s, s == 'a')", { signals: ['a', 'a'] }, false],
    ['size(account.signals.filter(s, s.contains("a"))) == 2', { signals: ['ab', 'ca', 'x'] }, true],
    ['account.employees / 2 == 2', { employees: 5 }, true],
    ['account.revenue / 2.0 == 2.5', { revenue: 5 }, true],
    ['!account.isMsp', { isMsp: false }, true],
    ['account.industry.lowerAscii() == "saas"', { industry: 'SaaS' }, true],
    ['account.industry.matches("^Fin")', { industry: 'FinTech' }, true],
    ['has(account.industry)', {}, false],
    ['account.revenue > 1 ? true : false', { revenue: 2 }, true],
  ])('%s on %j is %s', (expression, account, expected) => {
    expect(run(expression, account)).toBe(expected);
  });

  it('propagates a missing attribute as no value, except where the other side decides', () => {
    expect(run('account.employees > 10', {})).toBe(NO_VALUE);
    expect(run('account.employees > 10 && account.isMsp', { isMsp: false })).toBe(false);
    expect(run('account.employees > 10 || account.isMsp', { isMsp: true })).toBe(true);
    expect(run('account.employees > 10 || account.isMsp', { isMsp: false })).toBe(NO_VALUE);
    expect(() => run('account.employees / 0 > 1', { employees: 3 })).toThrow('division by zero');
    expect(run('account.employees / 0 > 1 && false', { employees: 3 })).toBe(false);
  });

  it('computes points', () => {
    expect(run('account.revenue > 1000000.0 ? 5.0 : 1.0', { revenue: 2e6 }, 'number')).toBe(5);
    expect(run('account.employees * 2', { employees: 4 }, 'number')).toBe(8);
  });

  it('treats the text of literals as data, never as code', () => {
    const hostile = `account.industry == "\\"); globalThis.pwned = true; (\\""`;
    expect(run(hostile, { industry: 'x' })).toBe(false);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    expect(run(`account.industry == "\`\${1+1}\`"`, { industry: '`${1+1}`' })).toBe(true);
  });

  it('refuses what it cannot compile, with the range', () => {
    expect(checker.compile('account.revenue.foo()', 'bool').problem?.message).toMatch(/./);
    expect(checker.compile('account.industry + 1', 'bool').problem?.message).toContain('type error');
  });
});

describe('CEL semantics from the checker (issue 14)', () => {
  const value = (expression: string, account: Record<string, unknown> = {}) => {
    const { result, problem } = checker.compile(expression, 'any');
    if (!result) throw new Error(problem!.message);
    try {
      return result.fn(account);
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const refused = (expression: string) => checker.compile(expression, 'any').problem;

  it('takes int or double from the checker, inside macros and list elements too', () => {
    expect(value('[2, 1, 0].map(n, 4 / n)')).toMatch(/^error: division by zero/);
    expect(value('[4, 6].map(n, n / 4)')).toEqual([1, 1]);
    expect(value('[4.0, 6.0].map(n, n / 4.0)')).toEqual([1, 1.5]);
    expect(value('7 % 0')).toMatch(/^error: modulus by zero/);
  });

  it('has exact 64-bit ints: overflow and out-of-range conversions are errors', () => {
    expect(value('9223372036854775807 + 1')).toMatch(/^error: integer overflow/);
    expect(value('9007199254740993 + 0')).toBe(9007199254740993n);
    expect(value('int(1e99)')).toMatch(/^error/);
    expect(value("int(' 12')")).toMatch(/^error/);
    expect(value("int('1e3')")).toMatch(/^error/);
    expect(value("int('-12')")).toBe(-12);
  });

  it('orders bools and keeps null values in maps', () => {
    expect(value('false < true')).toBe(true);
    expect(value("{'a': null}['a'] == null")).toBe(true);
  });

  it('reads own properties only', () => {
    expect(value("{'SaaS': 3}[account.industry]", { industry: 'constructor' })).toMatch(/^error: no such key/);
    expect(value("'toString' in {'a': 1}")).toBe(false);
  });

  it('counts code points, matches with RE2 in linear time, changes only ASCII case', () => {
    expect(value("size('🐱')")).toBe(1);
    const started = Date.now();
    expect(value(`'${'a'.repeat(28)}b'.matches('^(a+)+$')`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
    expect(value("'ÀB'.lowerAscii()")).toBe('Àb');
    expect(value("'àb'.upperAscii()")).toBe('àB');
  });

  it('refuses comprehensions whose worst case is too costly, with the range', () => {
    const e = 'account.signals.exists(a, account.signals.exists(b, account.signals.exists(c, a == b && b == c)))';
    const problem = refused(e);
    expect(problem?.message).toMatch(/steps per account/);
    expect([problem?.start, problem?.end]).toEqual([0, e.length]);
    expect(refused('account.signals.exists(a, account.signals.exists(b, a == b))')?.message).toMatch(
      /steps per account/,
    );
    expect(refused("account.signals.exists(a, a == 'x')")).toBeUndefined();
  });

  it('refuses arithmetic whose operand types are not known when saved', () => {
    expect(refused('dyn(1) / 2')?.message).toMatch(/must be known/);
  });
});

describe('own-property reads with an attribute named like an Object.prototype member', () => {
  it('has(account.toString) is false on an empty account, true when the account has it', async () => {
    const c = await checkerFor([...catalogue, { name: 'toString', type: 'STRING' }]);
    const fn = c.compile('has(account.toString)', 'bool').result!.fn;
    expect(fn({})).toBe(false);
    expect(fn({ toString: 'x' })).toBe(true);
    expect(c.compile("account.toString == 'x'", 'bool').result!.fn({})).toBe(NO_VALUE);
  });
});
