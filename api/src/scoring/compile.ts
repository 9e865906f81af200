/**
 * Compiles a CEL syntax tree (as parsed and type-checked by
 * @marcbachmann/cel-js) into a plain JavaScript closure over an account's
 * attributes, so scoring an account runs closures, not a tree walk.
 *
 * Values are plain JS (numbers, strings, booleans, arrays). An attribute the
 * account lacks, and any evaluation error (division by zero, index out of
 * range), yield NO_VALUE, which propagates like CEL's error value: `false &&
 * x` is false and `true || x` is true whatever x is; anything else that
 * touches NO_VALUE is NO_VALUE. The rule holding it then does not match.
 */
export const NO_VALUE: unique symbol = Symbol('no value');
export type Value = number | string | boolean | null | Value[] | { [k: string]: Value } | typeof NO_VALUE;
export type Account = Record<string, unknown>;
/** `slots` hold the variables of comprehensions (exists, all, map…). */
export type Fn = (account: Account, slots: Value[]) => Value;

type Type = 'int' | 'double' | 'string' | 'bool' | 'list' | 'map' | 'null' | 'dyn';

export interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

export class CompileError extends Error {
  constructor(message: string, readonly start?: number, readonly end?: number) {
    super(message);
  }
}

interface Compiled {
  fn: Fn;
  type: Type;
  /** Known when the node is a literal (or made only of literals). */
  constant?: Value;
  /** Set when the node is `account.<attr>`: callers read the attribute directly instead of calling fn. */
  attr?: string;
}

interface Scope {
  slots: Map<string, number>;
  next: number;
}

export interface CompileResult {
  fn: Fn;
  /** Every account attribute the expression reads. */
  attributes: string[];
  type: Type;
}

export function compileExpression(ast: AstNode, attributeTypes: Record<string, Type>): CompileResult {
  const attributes = new Set<string>();
  const compiled = compile(ast, { slots: new Map(), next: 0 }, attributeTypes, attributes);
  return { fn: compiled.fn, attributes: [...attributes], type: compiled.type };
}

const constant = (value: Value, type: Type): Compiled => ({ fn: () => value, type, constant: value });
const isNumeric = (t: Type) => t === 'int' || t === 'double' || t === 'dyn';

function fail(node: AstNode, message: string): never {
  throw new CompileError(message, node.start, node.end);
}

function compile(node: AstNode, scope: Scope, attrs: Record<string, Type>, used: Set<string>): Compiled {
  const sub = (n: unknown) => compile(n as AstNode, scope, attrs, used);
  const args = node.args as unknown[];
  switch (node.op) {
    case 'value': {
      const v = node.args;
      if (typeof v === 'bigint') return constant(Number(v), 'int');
      if (typeof v === 'number') return constant(v, 'double');
      if (typeof v === 'string') return constant(v, 'string');
      if (typeof v === 'boolean') return constant(v, 'bool');
      if (v === null) return constant(null, 'null');
      return fail(node, 'bytes literals are not supported in account expressions');
    }
    case 'id': {
      const name = node.args as string;
      const slot = scope.slots.get(name);
      if (slot !== undefined) return { fn: (_a, s) => s[slot], type: 'dyn' };
      if (name === 'account') return { fn: (a) => a as Value, type: 'map' };
      return fail(node, `unknown name "${name}"; expressions read attributes as account.<name>`);
    }
    case '.': {
      const [target, field] = args as [AstNode, string];
      if (target.op === 'id' && target.args === 'account' && !scope.slots.has('account')) {
        used.add(field);
        const type = attrs[field] ?? 'dyn';
        return { fn: (a) => (a[field] ?? NO_VALUE) as Value, type, attr: field };
      }
      const obj = sub(target);
      return {
        fn: (a, s) => {
          const o = obj.fn(a, s);
          if (o === null || typeof o !== 'object' || Array.isArray(o)) return NO_VALUE;
          return (o as Record<string, Value>)[field] ?? NO_VALUE;
        },
        type: 'dyn',
      };
    }
    case '[]': {
      const [o, i] = (args as AstNode[]).map(sub);
      return {
        fn: (a, s) => {
          const obj = o.fn(a, s);
          const idx = i.fn(a, s);
          if (obj === NO_VALUE || idx === NO_VALUE) return NO_VALUE;
          if (Array.isArray(obj)) return typeof idx === 'number' && idx >= 0 && idx < obj.length ? obj[idx] : NO_VALUE;
          if (obj && typeof obj === 'object') return (obj as Record<string, Value>)[String(idx)] ?? NO_VALUE;
          return NO_VALUE;
        },
        type: 'dyn',
      };
    }
    case '&&':
    case '||': {
      // A chain `a && b && c` becomes one loop. CEL: the result is decided by any
      // operand that decides it, whatever the others are (errors included).
      const short = node.op === '||';
      const operands: Fn[] = [];
      const flatten = (n: AstNode) => {
        if (n.op === node.op) (n.args as AstNode[]).forEach(flatten);
        else operands.push(sub(n).fn);
      };
      flatten(node);
      const count = operands.length;
      return {
        fn: (a, s) => {
          let unknown = false;
          for (let i = 0; i < count; i++) {
            const x = operands[i](a, s);
            if (x === short) return short;
            if (x !== !short) unknown = true;
          }
          return unknown ? NO_VALUE : !short;
        },
        type: 'bool',
      };
    }
    case '!_': {
      const x = sub(node.args);
      return { fn: (a, s) => ((v) => (typeof v === 'boolean' ? !v : NO_VALUE))(x.fn(a, s)), type: 'bool' };
    }
    case '-_': {
      const x = sub(node.args);
      if (x.constant !== undefined && typeof x.constant === 'number') return constant(-x.constant, x.type);
      return { fn: (a, s) => num1(x.fn(a, s), (v) => -v), type: x.type };
    }
    case '?:': {
      const [c, t, f] = (args as AstNode[]).map(sub);
      return {
        fn: (a, s) => {
          const cond = c.fn(a, s);
          return cond === true ? t.fn(a, s) : cond === false ? f.fn(a, s) : NO_VALUE;
        },
        type: t.type === f.type ? t.type : 'dyn',
      };
    }
    case '==':
    case '!=': {
      const [l, r] = (args as AstNode[]).map(sub);
      const negate = node.op === '!=';
      if (l.attr && r.constant !== undefined && (r.constant === null || typeof r.constant !== 'object')) {
        const f = l.attr;
        const k = r.constant;
        return {
          fn: (a) => {
            const x = a[f];
            return x === undefined || x === null ? NO_VALUE : (x === k) !== negate;
          },
          type: 'bool',
        };
      }
      return {
        fn: (a, s) => {
          const x = l.fn(a, s);
          const y = r.fn(a, s);
          if (x === NO_VALUE || y === NO_VALUE) return NO_VALUE;
          return equal(x, y) !== negate;
        },
        type: 'bool',
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [l, r] = (args as AstNode[]).map(sub);
      const cmp = COMPARE[node.op];
      if (r.constant !== undefined && l.attr) {
        const k = r.constant as number | string;
        const f = l.attr;
        const kind = typeof k;
        // The commonest shape, `account.x >= 100`: one property read, no call.
        return {
          fn: (a) => {
            const x = a[f];
            return typeof x === kind ? cmp(x as number, k as number) : NO_VALUE;
          },
          type: 'bool',
        };
      }
      if (r.constant !== undefined) {
        const k = r.constant as number | string;
        // `expr >= 100`: no second call.
        return {
          fn: (a, s) => {
            const x = l.fn(a, s);
            return typeof x === typeof k ? cmp(x as number, k as number) : NO_VALUE;
          },
          type: 'bool',
        };
      }
      return {
        fn: (a, s) => {
          const x = l.fn(a, s);
          const y = r.fn(a, s);
          return (typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string') ? cmp(x as number, y as number) : NO_VALUE;
        },
        type: 'bool',
      };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const [l, r] = (args as AstNode[]).map(sub);
      const intMath = l.type === 'int' && r.type === 'int';
      const type: Type = l.type === 'string' || l.type === 'list' ? l.type : intMath ? 'int' : isNumeric(l.type) && isNumeric(r.type) ? (l.type === 'dyn' || r.type === 'dyn' ? 'dyn' : 'double') : 'dyn';
      const op = arithmetic(node.op, intMath);
      return { fn: (a, s) => op(l.fn(a, s), r.fn(a, s)), type };
    }
    case 'in': {
      const [el, coll] = (args as AstNode[]).map(sub);
      if (Array.isArray(coll.constant)) {
        const set = new Set(coll.constant as Value[]);
        if (el.attr) {
          const f = el.attr;
          return { fn: (a) => ((x) => (x === undefined || x === null ? NO_VALUE : set.has(x as Value)))(a[f]), type: 'bool' };
        }
        return { fn: (a, s) => ((x) => (x === NO_VALUE ? NO_VALUE : set.has(x)))(el.fn(a, s)), type: 'bool' };
      }
      const k = el.constant;
      if (k !== undefined && k !== null && typeof k !== 'object' && coll.attr) {
        const f = coll.attr;
        return {
          fn: (a) => {
            const c = a[f];
            return Array.isArray(c) ? c.includes(k) : NO_VALUE;
          },
          type: 'bool',
        };
      }
      if (k !== undefined && k !== null && typeof k !== 'object') {
        // The common shape `'funding_round' in account.signals`: a primitive in a list.
        return {
          fn: (a, s) => {
            const c = coll.fn(a, s);
            if (Array.isArray(c)) return c.includes(k);
            if (c && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, String(k));
            return NO_VALUE;
          },
          type: 'bool',
        };
      }
      return {
        fn: (a, s) => {
          const x = el.fn(a, s);
          const c = coll.fn(a, s);
          if (x === NO_VALUE || c === NO_VALUE) return NO_VALUE;
          if (Array.isArray(c)) return c.some((v) => equal(v, x));
          if (c && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, String(x));
          return NO_VALUE;
        },
        type: 'bool',
      };
    }
    case 'list': {
      const items = (args as AstNode[]).map(sub);
      if (items.every((i) => i.constant !== undefined)) return constant(items.map((i) => i.constant as Value), 'list');
      return {
        fn: (a, s) => {
          const out = items.map((i) => i.fn(a, s));
          return out.includes(NO_VALUE) ? NO_VALUE : out;
        },
        type: 'list',
      };
    }
    case 'map': {
      const entries = (args as [AstNode, AstNode][]).map(([k, v]) => [sub(k), sub(v)] as const);
      return {
        fn: (a, s) => {
          const out: Record<string, Value> = {};
          for (const [k, v] of entries) {
            const key = k.fn(a, s);
            const val = v.fn(a, s);
            if (key === NO_VALUE || val === NO_VALUE) return NO_VALUE;
            out[String(key)] = val;
          }
          return out;
        },
        type: 'map',
      };
    }
    case 'call':
      return compileCall(node, args[0] as string, (args[1] as AstNode[]) ?? [], scope, attrs, used);
    case 'rcall':
      return compileMethod(node, args[0] as string, args[1] as AstNode, (args[2] as AstNode[]) ?? [], scope, attrs, used);
    default:
      return fail(node, `"${node.op}" is not supported in account expressions`);
  }
}

function compileCall(node: AstNode, name: string, argNodes: AstNode[], scope: Scope, attrs: Record<string, Type>, used: Set<string>): Compiled {
  if (name === 'has') {
    const [target] = argNodes;
    if (target?.op !== '.') return fail(node, 'has() takes a field, e.g. has(account.industry)');
    const inner = compile(target, scope, attrs, used);
    return { fn: (a, s) => inner.fn(a, s) !== NO_VALUE, type: 'bool' };
  }
  const xs = argNodes.map((n) => compile(n, scope, attrs, used));
  const one = xs[0];
  if (!one || xs.length !== 1) return fail(node, `${name}() takes one argument`);
  switch (name) {
    case 'size':
      return { fn: (a, s) => size(one.fn(a, s)), type: 'int' };
    case 'int':
      return { fn: (a, s) => num1(one.fn(a, s), Math.trunc, true), type: 'int' };
    case 'double':
      return { fn: (a, s) => num1(one.fn(a, s), (v) => v, true), type: 'double' };
    case 'string':
      return { fn: (a, s) => ((v) => (v === NO_VALUE ? NO_VALUE : typeof v === 'object' ? JSON.stringify(v) : String(v)))(one.fn(a, s)), type: 'string' };
    case 'dyn':
      return one;
    default:
      return fail(node, `the function ${name}() is not supported in account expressions`);
  }
}

const STRING_METHODS: Record<string, (s: string, arg: Value) => Value> = {
  contains: (s, x) => s.includes(x as string),
  startsWith: (s, x) => s.startsWith(x as string),
  endsWith: (s, x) => s.endsWith(x as string),
};

function compileMethod(node: AstNode, name: string, recvNode: AstNode, argNodes: AstNode[], scope: Scope, attrs: Record<string, Type>, used: Set<string>): Compiled {
  const recv = compile(recvNode, scope, attrs, used);
  if (['exists', 'all', 'exists_one', 'map', 'filter'].includes(name)) {
    const [varNode, ...body] = argNodes;
    if (varNode?.op !== 'id' || body.length < 1) return fail(node, `${name}() takes a variable and an expression, e.g. ${name}(x, x > 0)`);
    const slot = scope.next;
    const inner: Scope = { slots: new Map(scope.slots).set(varNode.args as string, slot), next: slot + 1 };
    const parts = body.map((b) => compile(b, inner, attrs, used));
    return comprehension(name, recv, parts, slot);
  }
  if (name === 'size' && argNodes.length === 0) return { fn: (a, s) => size(recv.fn(a, s)), type: 'int' };
  if (name === 'lowerAscii' || name === 'upperAscii') {
    const upper = name === 'upperAscii';
    return { fn: (a, s) => ((v) => (typeof v === 'string' ? (upper ? v.toUpperCase() : v.toLowerCase()) : NO_VALUE))(recv.fn(a, s)), type: 'string' };
  }
  if (name === 'matches' && argNodes.length === 1) {
    const pattern = compile(argNodes[0], scope, attrs, used);
    if (typeof pattern.constant !== 'string') return fail(node, 'matches() takes a literal pattern');
    let re: RegExp;
    try {
      re = new RegExp(pattern.constant);
    } catch (e) {
      return fail(argNodes[0], `invalid pattern: ${(e as Error).message}`);
    }
    return { fn: (a, s) => ((v) => (typeof v === 'string' ? re.test(v) : NO_VALUE))(recv.fn(a, s)), type: 'bool' };
  }
  const method = STRING_METHODS[name];
  if (method && argNodes.length === 1) {
    const arg = compile(argNodes[0], scope, attrs, used);
    return {
      fn: (a, s) => {
        const v = recv.fn(a, s);
        const x = arg.fn(a, s);
        return typeof v === 'string' && typeof x === 'string' ? method(v, x) : NO_VALUE;
      },
      type: 'bool',
    };
  }
  return fail(node, `the method ${name}() is not supported in account expressions`);
}

function comprehension(name: string, recv: Compiled, parts: Compiled[], slot: number): Compiled {
  const [pred, transform] = parts;
  const iterate = (a: Account, s: Value[]): Value[] | typeof NO_VALUE => {
    const list = recv.fn(a, s);
    if (Array.isArray(list)) return list;
    if (list && typeof list === 'object') return Object.keys(list);
    return NO_VALUE;
  };
  switch (name) {
    case 'exists':
    case 'all': {
      const want = name === 'exists';
      return {
        fn: (a, s) => {
          const list = iterate(a, s);
          if (list === NO_VALUE) return NO_VALUE;
          let unknown = false;
          for (const item of list) {
            s[slot] = item;
            const r = pred.fn(a, s);
            if (r === want) return want;
            if (r !== !want) unknown = true;
          }
          return unknown ? NO_VALUE : !want;
        },
        type: 'bool',
      };
    }
    case 'exists_one':
      return {
        fn: (a, s) => {
          const list = iterate(a, s);
          if (list === NO_VALUE) return NO_VALUE;
          let n = 0;
          for (const item of list) {
            s[slot] = item;
            const r = pred.fn(a, s);
            if (r === NO_VALUE) return NO_VALUE;
            if (r === true) n++;
          }
          return n === 1;
        },
        type: 'bool',
      };
    default: {
      // map(x, f), map(x, p, f), filter(x, p)
      const keep = name === 'filter' || transform ? pred : undefined;
      const out = name === 'filter' ? undefined : (transform ?? pred);
      return {
        fn: (a, s) => {
          const list = iterate(a, s);
          if (list === NO_VALUE) return NO_VALUE;
          const result: Value[] = [];
          for (const item of list) {
            s[slot] = item;
            if (keep) {
              const k = keep.fn(a, s);
              if (k === NO_VALUE) return NO_VALUE;
              if (k !== true) continue;
            }
            const v = out ? out.fn(a, s) : item;
            if (v === NO_VALUE) return NO_VALUE;
            result.push(v);
          }
          return result;
        },
        type: 'list',
      };
    }
  }
}

const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
};

function arithmetic(op: string, intMath: boolean): (x: Value, y: Value) => Value {
  return (x, y) => {
    if (x === NO_VALUE || y === NO_VALUE) return NO_VALUE;
    if (op === '+' && typeof x === 'string' && typeof y === 'string') return x + y;
    if (op === '+' && Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
    if (typeof x !== 'number' || typeof y !== 'number') return NO_VALUE;
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (intMath) return y === 0 ? NO_VALUE : Math.trunc(x / y);
        return x / y;
      default:
        return y === 0 && intMath ? NO_VALUE : x % y;
    }
  };
}

function num1(v: Value, f: (x: number) => number, parse = false): Value {
  if (typeof v === 'number') return f(v);
  if (parse && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return f(Number(v));
  return NO_VALUE;
}

function size(v: Value): Value {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return NO_VALUE;
}

function equal(x: Value, y: Value): boolean {
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => equal(v, y[i]));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => equal((x as Record<string, Value>)[k], (y as Record<string, Value>)[k]));
  }
  return false;
}
