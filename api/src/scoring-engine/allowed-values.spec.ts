import { checkerFor, type AttributeSpec, type ExpressionChecker } from './cel';
import { closest, editDistance } from './allowed-values';
import { readYaml } from '../demo/load-demo';
import { fileExpressions } from '../modules/icp-file/icp-file.checks';
import type { IcpFile } from '../modules/icp-file/icp-file';

// Saving an expression checks the string values it compares attributes with against the catalogue's allowed values.
const catalogue: AttributeSpec[] = [
  { name: 'mlMaturity', type: 'STRING', allowedValues: ['none', 'early', 'growing', 'dedicated'] },
  { name: 'industry', type: 'STRING' },
  { name: 'cloudProviders', type: 'STRING_LIST', allowedValues: ['aws', 'gcp', 'azure'] },
  { name: 'signals', type: 'STRING_LIST' },
  { name: 'employees', type: 'INT' },
];

let checker: ExpressionChecker;
beforeAll(async () => {
  checker = await checkerFor(catalogue);
});
const problemOf = (e: string) => checker.compile(e, 'bool').problem;

describe('values outside the allowed values', () => {
  it('are refused with the attribute, the value, the closest allowed value and the list, at the value', () => {
    const e = "account.mlMaturity == 'dedicatd'";
    expect(problemOf(e)).toEqual({
      message:
        "account.mlMaturity is compared with 'dedicatd', which is not one of its allowed values: did you mean 'dedicated'? (allowed: 'none', 'early', 'growing', 'dedicated')",
      expression: e,
      start: e.indexOf("'dedicatd'"),
      end: e.length,
    });
  });

  it.each([
    ["account.mlMaturity != 'Growing'", 'Growing', 'growing'],
    ["account.mlMaturity in ['growing', 'dedicted']", 'dedicted', 'dedicated'],
    ["'dedicatd' == account.mlMaturity", 'dedicatd', 'dedicated'],
    ["account['mlMaturity'] == 'erly'", 'erly', 'early'],
    ["'aws ' in account.cloudProviders", 'aws ', 'aws'],
    ["account.cloudProviders == ['aws', 'azur']", 'azur', 'azure'],
    ["account.cloudProviders.exists(c, c in ['gcp', 'azrue'])", 'azrue', 'azure'],
    ["account.cloudProviders.all(c, c == 'gpc')", 'gpc', 'gcp'],
    ["account.employees > 1 && (account.mlMaturity == 'early' || account.mlMaturity == 'grown')", 'grown', 'growing'],
  ])('%s: refused, naming %p and suggesting %p', (e, bad, suggestion) => {
    const p = problemOf(e);
    expect(p?.message).toContain(`is compared with '${bad}', which is not one of its allowed values`);
    expect(p?.message).toContain(`did you mean '${suggestion}'?`);
    expect(e.slice(p!.start, p!.end)).toBe(`'${bad}'`);
  });

  it('are refused when the value is an empty string, allowed values or not', () => {
    for (const e of [
      "account.industry == ''",
      'account.industry != ""',
      "account.mlMaturity in ['']",
      "'' in account.signals",
    ])
      expect(problemOf(e)?.message).toMatch(/is compared with an empty string/);
    expect(problemOf("account.mlMaturity == ''")?.message).toBe(
      "account.mlMaturity is compared with an empty string, which is not one of its allowed values (allowed: 'none', 'early', 'growing', 'dedicated')",
    );
  });

  it('accept the allowed values, open sets, and strings that are not compared with an attribute', () => {
    for (const e of [
      "account.mlMaturity in ['growing', 'dedicated']",
      "account.industry == 'Anything at all'",
      "'aws' in account.cloudProviders && account.cloudProviders.exists(c, c in ['gcp', 'azure'])",
      "account.signals.exists(s, s == 'x')",
      "account.industry.startsWith('S')",
      // A comprehension variable is an attribute's item only over that attribute.
      "['x', 'y'].exists(c, c == 'z') && account.cloudProviders.exists(c, c == 'aws')",
    ])
      expect(problemOf(e)).toBeUndefined();
  });
});

describe('the checker cache', () => {
  it('gives a catalogue whose allowed values changed its own checker', async () => {
    const widened = catalogue.map((a) =>
      a.name === 'mlMaturity' ? { ...a, allowedValues: [...a.allowedValues!, 'dedicatd'] } : a,
    );
    expect((await checkerFor(widened)).compile("account.mlMaturity == 'dedicatd'", 'bool').problem).toBeUndefined();
    expect(problemOf("account.mlMaturity == 'dedicatd'")).toBeDefined();
  });
});

describe('the demo ICPs', () => {
  it('all pass the check against the demo catalogue', async () => {
    const demo = await checkerFor((readYaml('workspace.yaml') as { attributes: AttributeSpec[] }).attributes);
    const problems = ['itsm', 'make-enterprise', 'ml-inference', 'driftsentry'].flatMap((slug) =>
      fileExpressions(readYaml(`${slug}.icp.yaml`) as IcpFile).flatMap(
        (f) => demo.compile(f.expression!, f.expect).problem ?? [],
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe('closest', () => {
  it('is the allowed value at the least edit distance, the first on a tie, ignoring case first', () => {
    expect(editDistance('dedicatd', 'dedicated')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('GROWING', ['none', 'growing'])).toBe('growing');
    expect(closest('xx', ['ab', 'cd'])).toBe('ab');
  });
});
