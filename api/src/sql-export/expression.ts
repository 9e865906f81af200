import { type AstNode } from '../scoring-engine/compile';
import { type Dialect } from './dialects';

/**
 * One checked CEL expression (the tree the engine compiles, with the
 * checker's types) as a SQL expression over the accounts table's columns.
 *
 * Semantics, the engine's exactly (scoring-engine/compile.ts):
 * - a missing attribute is NULL, as the engine's NO_VALUE: it propagates
 *   through comparisons, and `&&`/`||`/`!` are SQL's three-valued AND/OR/NOT,
 *   which is CEL's logic on true, false and unknown (commutative: `false && x`
 *   is false whatever x is);
 * - CEL errors (overflow, division by zero, bad conversions, missing keys)
 *   have no faithful SQL counterpart (SQL raises or gives another value), so
 *   only constructs that cannot fail are translated: comparisons and `in`
 *   over attributes and literals, `has()`, list `size()` and `in`, the
 *   exists/all/exists_one macros over a list attribute whose body reads only
 *   the item, `?:`. Anything else is refused with its location, never
 *   approximated.
 */
export class SqlRefusal extends Error {
  constructor(
    message: string,
    readonly start?: number,
    readonly end?: number,
  ) {
    super(message);
  }
}

export interface Sql {
  sql: string;
  /** The checker's type: bool, int, double, string, list<string>, … */
  type: string;
  /** A literal's value (numbers, strings, booleans; a list of them). */
  constant?: number | string | boolean | (number | string | boolean)[];
  /** Set for a column read of a list attribute (lists are read only whole). */
  column?: string;
  /** Set for an expression that never gives NULL (literals, comprehension items, has()). */
  notNull?: boolean;
}

export interface Scope {
  dialect: Dialect;
  /** Attribute name → its SQL column reference. */
  column(name: string): string;
  attributes: Set<string>;
  /** Comprehension variables in scope: CEL name → SQL name. */
  vars: Map<string, string>;
  /** Whether account attributes may be read (not inside a comprehension's body). */
  accountAllowed: boolean;
  fresh(): string;
}

const typeOf = (n: AstNode): string => n.checkedType?.name ?? 'dyn';
const refuse = (node: AstNode, message: string): never => {
  throw new SqlRefusal(message, node.start, node.end);
};
const numeric = (t: string) => t === 'int' || t === 'double';
const isList = (t: string) => t.startsWith('list');

function literal(node: AstNode, scope: Scope): Sql {
  const v = node.args;
  if (typeof v === 'bigint') {
    if (!Number.isSafeInteger(Number(v))) return refuse(node, 'integers beyond ±(2^53-1) are not exported to SQL');
    return { sql: String(v), type: 'int', constant: Number(v), notNull: true };
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return refuse(node, 'infinite or NaN numbers are not exported to SQL');
    return { sql: doubleLiteral(v, scope.dialect), type: 'double', constant: v, notNull: true };
  }
  if (typeof v === 'string') return { sql: scope.dialect.string(v), type: 'string', constant: v, notNull: true };
  if (typeof v === 'boolean') return { sql: v ? 'TRUE' : 'FALSE', type: 'bool', constant: v, notNull: true };
  return refuse(node, 'null, bytes and unsigned literals are not exported to SQL');
}

/** A double as SQL: the shortest text that reads back as the same double, cast to the dialect's double type. */
export const doubleLiteral = (v: number, d: Dialect) => `CAST(${Object.is(v, -0) ? '0' : String(v)} AS ${d.double})`;

function attribute(node: AstNode, name: string, scope: Scope): Sql {
  if (!scope.accountAllowed)
    return refuse(
      node,
      'a comprehension body that reads account attributes is not exported to SQL: read only the item there',
    );
  if (!scope.attributes.has(name)) return refuse(node, `unknown attribute "${name}"`);
  const col = scope.column(name);
  return { sql: col, type: typeOf(node), column: col };
}

const isAccount = (n: AstNode, scope: Scope) => n.op === 'id' && n.args === 'account' && !scope.vars.has('account');

export function translate(node: AstNode, scope: Scope): Sql {
  const sub = (n: unknown) => translate(n as AstNode, scope);
  const args = node.args as unknown[];
  switch (node.op) {
    case 'value':
      return literal(node, scope);
    case 'id': {
      const v = scope.vars.get(node.args as string);
      if (v) return { sql: v, type: typeOf(node), notNull: true };
      return refuse(node, `"${String(node.args)}" is read attribute by attribute, e.g. account.industry`);
    }
    case '.': {
      const [target, field] = args as [AstNode, string];
      if (isAccount(target, scope)) return attribute(node, field, scope);
      return refuse(node, 'fields of maps are not exported to SQL');
    }
    case '[]': {
      const [target, index] = args as [AstNode, AstNode];
      if (isAccount(target, scope) && index.op === 'value' && typeof index.args === 'string')
        return attribute(node, index.args, scope);
      return refuse(node, 'indexing (which fails on a missing key or index) is not exported to SQL');
    }
    case '&&':
    case '||': {
      const op = node.op === '&&' ? 'AND' : 'OR';
      const operands: Sql[] = [];
      const flatten = (n: AstNode) => {
        if (n.op === node.op) (n.args as AstNode[]).forEach(flatten);
        else operands.push(bool(n, sub(n)));
      };
      flatten(node);
      return { sql: `(${operands.map((o) => o.sql).join(` ${op} `)})`, type: 'bool' };
    }
    case '!_':
      return { sql: `(NOT ${bool(node.args as AstNode, sub(node.args)).sql})`, type: 'bool' };
    case '-_': {
      const x = sub(node.args);
      if (typeof x.constant === 'number' && numeric(x.type)) {
        const v = x.constant === 0 ? 0 : -x.constant;
        return {
          sql: x.type === 'int' ? String(v) : doubleLiteral(v, scope.dialect),
          type: x.type,
          constant: v,
          notNull: true,
        };
      }
      return refuse(node, 'negation of a value (which may overflow) is not exported to SQL; negate literals only');
    }
    case '?:': {
      const [c, y, n] = args as AstNode[];
      const cond = bool(c, sub(c));
      const [a, b] = [sub(y), sub(n)];
      if (a.type !== b.type || !['bool', 'int', 'double', 'string'].includes(a.type))
        return refuse(node, `"? :" with branches of type ${a.type} and ${b.type} is not exported to SQL`);
      return { sql: `(CASE WHEN ${cond.sql} THEN ${a.sql} WHEN NOT ${cond.sql} THEN ${b.sql} END)`, type: a.type };
    }
    case '==':
    case '!=':
      return equality(node, sub(args[0]), sub(args[1]));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [l, r] = [sub(args[0]), sub(args[1])];
      if (!numeric(l.type) || !numeric(r.type))
        return refuse(
          node,
          `"${node.op}" on ${l.type} and ${r.type} is not exported to SQL (only numbers are ordered the same way everywhere)`,
        );
      return { sql: `(${l.sql} ${node.op} ${r.sql})`, type: 'bool' };
    }
    case 'in':
      return membership(node, sub(args[0]), args[1] as AstNode, scope);
    case 'call':
      return call(node, args[0] as string, (args[1] as AstNode[]) ?? [], scope);
    case 'rcall':
      return method(node, args[0] as string, args[1] as AstNode, (args[2] as AstNode[]) ?? [], scope);
    default:
      return refuse(node, `"${node.op}" is not exported to SQL (it may fail where SQL would not, or the reverse)`);
  }
}

function bool(node: AstNode, x: Sql): Sql {
  if (x.type !== 'bool') return refuse(node, `a ${x.type} used as true or false is not exported to SQL`);
  return x;
}

const SCALARS = new Set(['bool', 'int', 'double', 'string']);

function equality(node: AstNode, l: Sql, r: Sql): Sql {
  const comparable = (numeric(l.type) && numeric(r.type)) || (l.type === r.type && SCALARS.has(l.type));
  if (!comparable) return refuse(node, `"${node.op}" between ${l.type} and ${r.type} is not exported to SQL`);
  return { sql: `(${l.sql} ${node.op === '==' ? '=' : '<>'} ${r.sql})`, type: 'bool' };
}

/** `x in ['a', 'b']` (a literal list) or `'a' in account.list` (a literal item). */
function membership(node: AstNode, el: Sql, collNode: AstNode, scope: Scope): Sql {
  if (collNode.op === 'list') {
    const items = (collNode.args as AstNode[]).map((n) => translate(n, scope));
    const same = (t: string) => (numeric(el.type) ? numeric(t) : t === el.type);
    if (!SCALARS.has(el.type) || items.some((i) => i.constant === undefined || !same(i.type)))
      return refuse(node, '"in" is exported to SQL for a value against a list of literals of its own type only');
    if (!items.length) return { sql: `(CASE WHEN ${el.sql} IS NULL THEN NULL ELSE FALSE END)`, type: 'bool' };
    return { sql: `(${el.sql} IN (${items.map((i) => i.sql).join(', ')}))`, type: 'bool' };
  }
  const coll = translate(collNode, scope);
  if (coll.column && isList(coll.type) && el.type === 'string' && el.notNull)
    return nullIfNull(coll.sql, scope.dialect.contains(coll.sql, el.sql));
  return refuse(node, '"in" is exported to SQL for a literal list, or a literal or item in a list attribute');
}

/** A list attribute's SQL: NULL when the attribute is missing, else `sql`. */
const nullIfNull = (column: string, sql: string): Sql => ({
  sql: `(CASE WHEN ${column} IS NULL THEN NULL ELSE ${sql} END)`,
  type: 'bool',
});

function call(node: AstNode, name: string, argNodes: AstNode[], scope: Scope): Sql {
  if (name === 'has' && argNodes.length === 1) {
    const [target] = argNodes;
    if (target.op === '.' && isAccount((target.args as [AstNode])[0], scope)) {
      const a = translate(target, scope);
      return { sql: `(${a.sql} IS NOT NULL)`, type: 'bool', notNull: true };
    }
    return refuse(node, 'has() is exported to SQL for account attributes only');
  }
  if (name === 'size' && argNodes.length === 1) return size(node, translate(argNodes[0], scope), scope);
  if (name === 'dyn') return refuse(node, 'dyn() is not exported to SQL: the type must be known');
  return refuse(node, `the function ${name}() is not exported to SQL`);
}

function size(node: AstNode, x: Sql, scope: Scope): Sql {
  if (x.column && isList(x.type))
    return { sql: `(CASE WHEN ${x.sql} IS NULL THEN NULL ELSE ${scope.dialect.size(x.sql)} END)`, type: 'int' };
  return refuse(node, 'size() is exported to SQL for list attributes only (string lengths differ between databases)');
}

const MACROS = new Set(['exists', 'all', 'exists_one']);

function method(node: AstNode, name: string, recvNode: AstNode, argNodes: AstNode[], scope: Scope): Sql {
  const recv = translate(recvNode, scope);
  if (name === 'size' && argNodes.length === 0) return size(node, recv, scope);
  if (!MACROS.has(name)) return refuse(node, `the method ${name}() is not exported to SQL`);
  const [varNode, body] = argNodes;
  if (!recv.column || !isList(recv.type))
    return refuse(node, `${name}() is exported to SQL over a list attribute only`);
  if (varNode?.op !== 'id' || !body || argNodes.length !== 2)
    return refuse(node, `${name}() takes a variable and an expression, e.g. ${name}(x, x > 0)`);
  const d = scope.dialect;
  if (!d.countWhere) {
    const set = literalSet(body, varNode.args as string);
    if (!set || name === 'exists_one' || !d.sets)
      return refuse(
        node,
        `in ${d.name} SQL, ${name}() is exported only as exists() or all() of an item tested against literal strings (x in ['a', 'b'], x == 'a')`,
      );
    const items = set.items.map((i) => d.string(i));
    const overlaps = d.sets.overlaps(recv.sql, items);
    const within = d.sets.within(recv.sql, items);
    // exists(x in S) overlaps S; all(x in S) lies within S; with the test negated, the reverse of the other.
    const test =
      name === 'exists' ? (set.negated ? `NOT ${within}` : overlaps) : set.negated ? `NOT ${overlaps}` : within;
    return nullIfNull(recv.sql, `(${test})`);
  }
  const v = scope.fresh();
  // The body reads only the item (never NULL: lists hold strings), so it is true or false for each item.
  const inner: Scope = { ...scope, vars: new Map(scope.vars).set(varNode.args as string, v), accountAllowed: false };
  const b = bool(body, translate(body, inner));
  const count = name === 'all' ? d.countWhere(recv.sql, v, `NOT ${b.sql}`) : d.countWhere(recv.sql, v, b.sql);
  const test = name === 'exists' ? `${count} > 0` : name === 'all' ? `${count} = 0` : `${count} = 1`;
  return nullIfNull(recv.sql, `(${test})`);
}

/** A comprehension body that tests the item against literal strings: `x in ['a', 'b']`, `x == 'a'`, `||` of them, `!`. */
function literalSet(node: AstNode, v: string): { items: string[]; negated: boolean } | undefined {
  const isVar = (n: AstNode) => n.op === 'id' && n.args === v;
  const isString = (n: AstNode) => n.op === 'value' && typeof n.args === 'string';
  const args = node.args as AstNode[];
  switch (node.op) {
    case 'in':
      return isVar(args[0]) && args[1].op === 'list' && (args[1].args as AstNode[]).every(isString)
        ? nonEmpty((args[1].args as AstNode[]).map((n) => n.args as string))
        : undefined;
    case '==': {
      const [l, r] = args;
      if (isVar(l) && isString(r)) return { items: [r.args as string], negated: false };
      if (isVar(r) && isString(l)) return { items: [l.args as string], negated: false };
      return undefined;
    }
    case '||': {
      const sets = args.map((n) => literalSet(n, v));
      if (sets.some((x) => !x || x.negated)) return undefined;
      return { items: sets.flatMap((x) => x!.items), negated: false };
    }
    case '!_': {
      const inner = literalSet(node.args as AstNode, v);
      return inner && { items: inner.items, negated: !inner.negated };
    }
    default:
      return undefined;
  }
}

const nonEmpty = (items: string[]) => (items.length ? { items, negated: false } : undefined);
