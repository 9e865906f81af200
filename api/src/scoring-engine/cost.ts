import type { AstNode } from './compile';

/**
 * A static bound on the work of one evaluation, so a saved expression cannot
 * block the process: comprehensions multiply their body's cost by the size of
 * what they iterate. Sizes: a literal list or map has its own; a list
 * attribute is at most MAX_LIST_ITEMS items (the account validator refuses
 * longer ones); any other list (an element of a list, a map value) is assumed
 * as long as MAX_LIST_ITEMS.
 */
export const MAX_LIST_ITEMS = 1_000;
export const MAX_STEPS = 1_000_000;

const COMPREHENSIONS = new Set(['exists', 'all', 'exists_one', 'map', 'filter']);

interface Estimate {
  cost: number;
  /** Items, for a list or map value. */
  size: number;
}

export interface CostProblem {
  cost: number;
  start: number;
  end: number;
}

const isNode = (x: unknown): x is AstNode => !!x && typeof x === 'object' && 'op' in x;
const isCollection = (n: AstNode) =>
  /^(list|map)/.test(n.checkedType?.name ?? 'dyn') || (n.checkedType?.name ?? 'dyn') === 'dyn';

/** The worst case of the expression, or the outermost comprehension that goes over the limit. */
export function costProblem(ast: AstNode): CostProblem | undefined {
  const over: CostProblem[] = [];
  const total = estimate(ast, new Map(), over);
  if (total.cost <= MAX_STEPS) return undefined;
  return over.sort((a, b) => b.cost - a.cost)[0] ?? { cost: total.cost, start: ast.start ?? 0, end: ast.end ?? 0 };
}

function estimate(node: AstNode, vars: Map<string, number>, over: CostProblem[]): Estimate {
  // Unary operators hold their operand itself, not a list.
  const args = (Array.isArray(node.args) ? node.args : [node.args]) as unknown[];
  const children = (xs: unknown[]): Estimate => {
    let cost = 1;
    for (const x of xs) {
      if (isNode(x)) cost += estimate(x, vars, over).cost;
      else if (Array.isArray(x)) cost += children(x).cost - 1;
    }
    return { cost, size: 0 };
  };
  switch (node.op) {
    case 'value':
      return { cost: 1, size: 0 };
    case 'id':
      return { cost: 1, size: vars.get(node.args as string) ?? (isCollection(node) ? MAX_LIST_ITEMS : 0) };
    case 'list':
      return { cost: children(args).cost, size: args.length };
    case 'map':
      return { cost: children(args).cost, size: args.length };
    case 'rcall':
      if (COMPREHENSIONS.has(args[0] as string)) return comprehension(node, vars, over);
      break;
    case '+':
      if (/^list/.test(node.checkedType?.name ?? '')) {
        const [l, r] = (args as AstNode[]).map((a) => estimate(a, vars, over));
        return { cost: 1 + l.cost + r.cost, size: l.size + r.size };
      }
      break;
    case '?:': {
      const [c, y, n] = (args as AstNode[]).map((a) => estimate(a, vars, over));
      return { cost: 1 + c.cost + Math.max(y.cost, n.cost), size: Math.max(y.size, n.size) };
    }
  }
  return { cost: children(args).cost, size: isCollection(node) ? MAX_LIST_ITEMS : 0 };
}

function comprehension(node: AstNode, vars: Map<string, number>, over: CostProblem[]): Estimate {
  const [name, recvNode, argNodes] = node.args as [string, AstNode, AstNode[]];
  const [varNode, ...body] = argNodes;
  const range = estimate(recvNode, vars, over);
  // The variable is an item: a collection only when the range holds collections.
  const inner = new Map(vars).set(
    String(varNode?.args),
    /^(list|map)<(list|map|dyn)/.test(recvNode.checkedType?.name ?? 'dyn') ? MAX_LIST_ITEMS : 0,
  );
  const per = body.reduce((sum, b) => sum + estimate(b, inner, over).cost, 1);
  const cost = range.cost + range.size * per;
  if (cost > MAX_STEPS) over.push({ cost, start: node.start ?? 0, end: node.end ?? 0 });
  return { cost, size: name === 'map' || name === 'filter' ? range.size : 0 };
}
