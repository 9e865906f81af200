import { AttributeSpec, checkerFor, ExpressionChecker } from './cel';
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
    ['account.signals.all(s, s != "")', { signals: [] }, true],
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
    expect(run('account.employees / 0 > 1', { employees: 3 })).toBe(NO_VALUE);
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
