import type { AstNode } from './compile';

/**
 * The string values an expression compares attributes with, checked against
 * the catalogue when it is saved. An account can never hold a value outside
 * an attribute's allowed values (scoring refuses it), so a condition such as
 * `account.mlMaturity == 'dedicatd'` could never hold: it is a typo, refused
 * with the closest allowed value. An empty string is refused for every string
 * attribute: a missing value is tested with `!has(...)`.
 *
 * Checked: `==` and `!=` with a literal (a list literal for a list attribute),
 * `in` a list literal, `'x' in account.list`, and the same on the item
 * variable of a macro over a list attribute (`account.list.exists(v, v == 'x')`).
 */
interface Spec {
  name: string;
  type: string;
  allowedValues?: string[];
}

export interface ValueProblem {
  message: string;
  start: number;
  end: number;
}

/** What a node reads: an attribute (a whole list, or one item of it, or a string). */
interface Subject {
  spec: Spec;
  list: boolean;
}

type Scope = Map<string, Spec | null>;

const MACROS = new Set(['exists', 'all', 'exists_one', 'filter', 'map']);
const isNode = (n: unknown): n is AstNode => !!n && typeof n === 'object' && 'op' in n;

function subject(node: AstNode, scope: Scope, specs: Map<string, Spec>): Subject | undefined {
  const [target, key] = (Array.isArray(node.args) ? node.args : []) as [AstNode | undefined, unknown];
  const onAccount = target?.op === 'id' && target.args === 'account' && !scope.has('account');
  if (node.op === 'id') {
    const item = scope.get(node.args as string);
    return item ? { spec: item, list: false } : undefined;
  }
  let spec: Spec | undefined;
  if (node.op === '.' && onAccount) spec = specs.get(key as string);
  else if (node.op === '[]' && onAccount && isNode(key) && key.op === 'value') spec = specs.get(key.args as string);
  return spec && (spec.type === 'STRING' || spec.type === 'STRING_LIST')
    ? { spec, list: spec.type === 'STRING_LIST' }
    : undefined;
}

/** The string literals of a value node: itself, or the items of a list literal. */
function literals(node: AstNode, asList: boolean): AstNode[] {
  const items = asList ? (node.op === 'list' ? (node.args as AstNode[]) : []) : [node];
  return items.filter((n) => n.op === 'value' && typeof n.args === 'string');
}

export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The allowed value nearest to a value, case aside; the first one on a tie. */
export function closest(value: string, allowed: string[]): string {
  const v = value.toLowerCase();
  let best = allowed[0];
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = editDistance(v, a.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  return best;
}

function problemOf(spec: Spec, literal: AstNode): ValueProblem | undefined {
  const value = literal.args as string;
  const allowed = spec.allowedValues ?? [];
  if (value !== '' && (!allowed.length || allowed.includes(value))) return;
  const list = `(allowed: ${allowed.map((a) => `'${a}'`).join(', ')})`;
  const what = `account.${spec.name} is compared with`;
  const message =
    value === ''
      ? allowed.length
        ? `${what} an empty string, which is not one of its allowed values ${list}`
        : `${what} an empty string: write the value to compare with (a missing value is tested with !has(account.${spec.name}))`
      : `${what} '${value}', which is not one of its allowed values: did you mean '${closest(value, allowed)}'? ${list}`;
  return { message, start: literal.start ?? 0, end: literal.end ?? (literal.start ?? 0) + 1 };
}

/** The first value compared with an attribute that the catalogue does not allow, in the order written. */
export function allowedValueProblem(ast: AstNode, catalogue: Spec[]): ValueProblem | undefined {
  const specs = new Map(catalogue.map((a) => [a.name, a]));
  const check = (s: Subject | undefined, value: AstNode, asList: boolean) =>
    s
      ? literals(value, asList)
          .map((l) => problemOf(s.spec, l))
          .find(Boolean)
      : undefined;

  const visit = (node: AstNode, scope: Scope): ValueProblem | undefined => {
    const args = node.args as AstNode[];
    let found: ValueProblem | undefined;
    if (node.op === '==' || node.op === '!=') {
      for (const [a, b] of [args, [args[1], args[0]]]) {
        const s = subject(a, scope, specs);
        found ??= check(s, b, !!s?.list);
      }
    } else if (node.op === 'in') {
      const list = subject(args[1], scope, specs);
      found = list?.list ? check(list, args[0], false) : undefined;
      const item = subject(args[0], scope, specs);
      found ??= item && !item.list ? check(item, args[1], true) : undefined;
    }
    if (found) return found;
    if (node.op === 'rcall' && MACROS.has(args[0] as unknown as string)) {
      const [, target, [variable, ...body]] = args as unknown as [string, AstNode, AstNode[]];
      const over = subject(target, scope, specs);
      const inner = new Map(scope).set(variable.args as string, over?.list ? over.spec : null);
      return visit(target, scope) ?? body.map((b) => visit(b, inner)).find(Boolean);
    }
    return children(node).reduce<ValueProblem | undefined>((p, c) => p ?? visit(c, scope), undefined);
  };
  return visit(ast, new Map());
}

/** The child nodes of a node, in the order written (arguments may nest in arrays: calls, lists, maps). */
function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const collect = (v: unknown) => {
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
  };
  if (node.op !== 'value') collect(node.args);
  return out;
}
