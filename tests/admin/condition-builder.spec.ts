import fc from 'fast-check';
import { parseCondition } from '../../admin/src/expressions/condition-parse';
import {
  addCondition,
  addGroup,
  chooseAttribute,
  chooseOperator,
  removeNode,
  setCombinator,
  unfit,
  updateCondition,
} from '../../admin/src/expressions/condition-edit';
import {
  ARITY,
  type AttributeInfo,
  type Condition,
  type Group,
  type Literal,
  type Node,
  numberLiteral,
  OPERATORS,
  printTree,
  toCel,
} from '../../admin/src/expressions/condition-tree';
import { readYaml } from '../../api/src/demo/load-demo';
import { fileExpressions } from '../../api/src/modules/icp-file/icp-file.checks';
import type { IcpFile } from '../../api/src/modules/icp-file/icp-file';
import { checkerFor, type ExpressionChecker } from '../../api/src/scoring-engine/cel';

// The visual builder's conversion between CEL text and its tree (admin/src/expressions): pure, no browser.
const catalogue = (readYaml('workspace.yaml') as { attributes: AttributeInfo[] }).attributes.map((a) => ({
  ...a,
  allowedValues: a.allowedValues ?? [],
}));
const attr = (name: string) => catalogue.find((a) => a.name === name)!;
const DEMO = ['itsm', 'make-enterprise', 'ml-inference', 'driftsentry'].flatMap((slug) =>
  fileExpressions(readYaml(`${slug}.icp.yaml`) as IcpFile)
    .filter((f) => f.expect === 'bool')
    .map((f) => [`${slug} ${f.path}`, f.expression!] as const),
);

const treeOf = (text: string): Group => {
  const parsed = parseCondition(text);
  if (!('tree' in parsed)) throw new Error(`not shown: ${text} (${parsed.unsupported})`);
  return parsed.tree;
};

/** The tree without how it was written (text, brackets, spacing); a group of one joins nothing. */
function shape(node: Node): unknown {
  if (node.kind === 'condition') {
    const { text: _text, ...rest } = node;
    return rest;
  }
  return {
    kind: 'group',
    combinator: node.children.length > 1 ? node.combinator : '&&',
    children: node.children.map(shape),
  };
}

/** The tree as if built in the builder: every condition printed in the canonical form. */
function canonical(node: Group): Group;
function canonical(node: Node): Node;
function canonical(node: Node): Node {
  if (node.kind === 'condition') return { ...node, text: undefined };
  const { separators: _s, open: _o, close: _c, ...group } = node;
  return { ...group, children: group.children.map((c) => canonical(c)) };
}

describe('the demo ICPs: CEL → builder → CEL', () => {
  it('finds the demo conditions', () => {
    expect(DEMO.length).toBeGreaterThanOrEqual(77);
  });

  it.each(DEMO)('%s: shown, and printed back exactly, as written and as the builder writes it', (_where, text) => {
    const tree = treeOf(text);
    expect(unfit(tree, catalogue)).toBeUndefined();
    expect(printTree(tree)).toBe(text);
    expect(printTree(canonical(tree))).toBe(text);
    expect(shape(treeOf(printTree(canonical(tree))))).toEqual(shape(tree));
  });
});

// Builder trees over the demo catalogue, with values an account can hold.
const variable = fc.constantFrom('v', 't', 'c', 'd', 'item_2');
const digits = fc.stringMatching(/^\d{1,6}$/);
const valueOf = (a: AttributeInfo): fc.Arbitrary<Literal> => {
  if (a.type === 'INT') return fc.integer({ min: -1e9, max: 1e9 }).map((n) => ({ kind: 'number', text: String(n) }));
  if (a.type === 'NUMBER')
    return fc
      .tuple(fc.integer({ min: -1e12, max: 1e12 }), digits)
      .map(([n, f]) => ({ kind: 'number', text: `${n}.${f}` }));
  if (a.allowedValues?.length) return fc.constantFrom(...a.allowedValues).map((value) => ({ kind: 'string', value }));
  // Any text but empty (which the server refuses): quotes, backslashes, control characters, any script.
  return fc
    .oneof(fc.string({ minLength: 1, unit: 'binary' }), fc.constantFrom("it's", 'say "hi"', 'a\\b', 'line\nbreak'))
    .map((value) => ({ kind: 'string', value }));
};
const conditionArb: fc.Arbitrary<Condition> = fc.constantFrom(...catalogue).chain((a) =>
  fc.constantFrom(...OPERATORS[a.type]).chain((operator) => {
    const arity = ARITY[operator];
    const values =
      arity === 'none'
        ? fc.constant<Literal[]>([])
        : fc.array(valueOf(a), { minLength: 1, maxLength: arity === 'one' ? 1 : 4 });
    return fc.record({
      kind: fc.constant('condition' as const),
      attribute: fc.constant(a.name),
      operator: fc.constant(operator),
      values,
      ...(operator === 'containsAny' ? { variable } : {}),
    });
  }),
);
const { root: treeArb } = fc.letrec<{ node: Node; group: Group; root: Group }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, conditionArb, tie('group')),
  group: fc.record({
    kind: fc.constant('group' as const),
    combinator: fc.constantFrom('&&' as const, '||' as const),
    children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
  }),
  root: fc.record({
    kind: fc.constant('group' as const),
    combinator: fc.constantFrom('&&' as const, '||' as const),
    children: fc.array(tie('node'), { minLength: 0, maxLength: 4 }),
  }),
}));

const SEED = 16_04_05;

describe('builder trees: builder → CEL → builder', () => {
  let checker: ExpressionChecker;
  beforeAll(async () => {
    checker = await checkerFor(catalogue);
  });

  it('every tree prints to CEL the server accepts, which reads back to the same tree and prints the same', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const text = printTree(tree);
        const back = treeOf(text);
        expect(shape(back)).toEqual(shape(tree));
        expect(printTree(back)).toBe(text);
        expect(printTree(canonical(back))).toBe(text);
        if (text) expect(checker.compile(text, 'bool').problem).toBeUndefined();
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('edits', () => {
  const written = 'account.employees>=200  &&\n  (account.industry == "SaaS" || \'aws\' in account.cloudProviders)';

  it('keep the rest of the expression as it was written', () => {
    const tree = treeOf(written);
    expect(printTree(tree)).toBe(written);
    const v = updateCondition(tree, [0], { values: [{ kind: 'number', text: '300' }] });
    expect(printTree(v)).toBe(
      'account.employees >= 300  &&\n  (account.industry == "SaaS" || \'aws\' in account.cloudProviders)',
    );
    expect(printTree(setCombinator(tree, [1], '&&'))).toBe(
      'account.employees>=200  &&\n  (account.industry == "SaaS" && \'aws\' in account.cloudProviders)',
    );
    expect(printTree(removeNode(tree, [1, 0]))).toBe("account.employees>=200  &&\n  ('aws' in account.cloudProviders)");
    expect(printTree(removeNode(tree, [0]))).toBe('(account.industry == "SaaS" || \'aws\' in account.cloudProviders)');
    // Removing a nested group's last condition removes the group.
    expect(printTree(removeNode(removeNode(tree, [1, 0]), [1, 0]))).toBe('account.employees>=200');
  });

  it('bracket a group written without brackets when it comes to bind looser than its parent', () => {
    const tree = treeOf('account.isMsp && account.digitalNative || account.employees > 10');
    const and = setCombinator(tree, [], '&&');
    expect(printTree(and)).toBe('account.isMsp && account.digitalNative && account.employees > 10');
    const inner = setCombinator(and, [0], '||');
    expect(printTree(inner)).toBe('(account.isMsp || account.digitalNative) && account.employees > 10');
  });

  it('a new condition is incomplete until it has an attribute, an operator and a value: nothing is written for it', () => {
    const tree = treeOf("account.mlMaturity == 'none'");
    const added = addCondition(tree, []);
    expect(toCel(added)).toEqual({ incomplete: 'Condition 2: pick an attribute', path: [1] });
    const picked = chooseAttribute(added, [1], attr('annualBudgetUsd'));
    expect(toCel(picked)).toEqual({ incomplete: 'Condition 2: give a value', path: [1] });
    const valued = updateCondition(picked, [1], { values: [numberLiteral('10000', 'NUMBER')!] });
    expect(toCel(valued)).toEqual({ text: "account.mlMaturity == 'none' && account.annualBudgetUsd >= 10000.0" });
    expect(toCel(addGroup(tree, []))).toMatchObject({ incomplete: 'Condition 2.1: pick an attribute' });
  });

  it('"is one of" writes a list of the values picked, and needs one', () => {
    const tree = chooseAttribute(addCondition(treeOf(''), []), [0], attr('industry'));
    const oneOf = chooseOperator(tree, [0], tree.children[0] as Condition, 'in');
    expect(toCel(oneOf)).toMatchObject({ incomplete: 'Condition 1: give at least one value' });
    const two = updateCondition(oneOf, [0], {
      values: [
        { kind: 'string', value: 'SaaS' },
        { kind: 'string', value: "Women's health" },
      ],
    });
    expect(toCel(two)).toEqual({ text: "account.industry in ['SaaS', 'Women\\'s health']" });
    // Back to "is": the first value stays.
    expect(toCel(chooseOperator(two, [0], two.children[0] as Condition, '=='))).toEqual({
      text: "account.industry == 'SaaS'",
    });
  });

  it('Tier 2 shows its maturity list as the two values it holds', () => {
    const tier2 = DEMO.find(([where]) => where === 'ml-inference tiers[1].criteria')![1];
    const condition = treeOf(tier2).children[2] as Condition;
    expect(condition).toMatchObject({
      attribute: 'mlMaturity',
      operator: 'in',
      values: [
        { kind: 'string', value: 'growing' },
        { kind: 'string', value: 'dedicated' },
      ],
    });
  });

  it('a number is written as its attribute type wants it', () => {
    expect(numberLiteral('5', 'NUMBER')).toEqual({ kind: 'number', text: '5.0' });
    expect(numberLiteral(' 2.5e6 ', 'NUMBER')).toEqual({ kind: 'number', text: '2.5e6' });
    expect(numberLiteral('5', 'INT')).toEqual({ kind: 'number', text: '5' });
    expect(numberLiteral('5.5', 'INT')).toBeNull();
    expect(numberLiteral('', 'NUMBER')).toBeNull();
    expect(numberLiteral('$3B', 'NUMBER')).toBeNull();
  });
});

describe('what the builder cannot show', () => {
  it.each([
    ['arithmetic', 'account.employees + 1 > 10'],
    ['an attribute on the right', '10 < account.employees'],
    ['another function', "account.industry.startsWith('S')"],
    ['a comment', 'account.isMsp // MSPs'],
    ['a comparison of two attributes', 'account.employees > account.devopsTeamSize'],
    ['a size other than empty or not', 'size(account.signals) > 2'],
    ['another macro form', "account.signals.exists(s, s == 'x')"],
    ['a syntax error', 'account.employees >'],
    ['true inside an expression', 'true && account.isMsp'],
  ])('%s: %s', (_what, text) => {
    expect(parseCondition(text)).toEqual({ unsupported: expect.any(String) });
  });

  it.each([
    ['an unknown attribute', 'account.revenue > 1.0'],
    ['a comparison the type has not', "account.industry > 'S'"],
    ['a value of another type', "account.employees == 'ten'"],
    ['a double for an int', 'account.employees >= 1.5'],
  ])('%s, against the catalogue: %s', (_what, text) => {
    expect(unfit(treeOf(text), catalogue)).toEqual(expect.any(String));
  });

  it('an empty text and `true` are an empty tree, printed back as written', () => {
    for (const text of ['', '  ', 'true', ' true\n']) expect(printTree(treeOf(text))).toBe(text);
    expect(treeOf('true').children).toEqual([]);
  });
});
