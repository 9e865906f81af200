/**
 * Compiles a CEL syntax tree (as parsed and type-checked by
 * @marcbachmann/cel-js) into plain JavaScript: each expression becomes a
 * piece of JS source over `a` (the account's attributes), and the engine
 * joins a whole model's pieces into one function, so scoring an account runs
 * straight-line code that V8 optimises, not a tree walk.
 *
 * Safety: no text of the expression reaches the generated code unescaped.
 * Strings are emitted through JSON.stringify, numbers only when finite,
 * attribute names as JSON-quoted property keys, comprehension variables as
 * generated names, operators from a fixed list; anything else is refused.
 *
 * Semantics: values are plain JS (numbers, strings, booleans, arrays). An
 * attribute the account lacks, and any evaluation error (division by zero,
 * index out of range), yield NO_VALUE, which propagates like CEL's error
 * value: `false && x` is false and `true || x` is true whatever x is;
 * anything else that touches NO_VALUE is NO_VALUE. The check holding it then
 * does not hold.
 */
export const NO_VALUE: unique symbol = Symbol('no value');
export type Value = number | string | boolean | null | Value[] | { [k: string]: Value } | typeof NO_VALUE;
export type Account = Record<string, unknown>;
export type Fn = (account: Account) => Value;

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

/** Generated code for one expression: a JS expression over `a`, with its constants and temporaries. */
export interface Generated {
  /** A JS expression; reads `a`, `NV`, `H` (helpers), `K` (constants) and the temporaries. */
  code: string;
  type: Type;
  attributes: string[];
}

export interface CompileResult extends Generated {
  /** The expression alone, as a function (for checks and sampling; the engine compiles whole models). */
  fn: Fn;
}

/** Shared state while generating one function: constants and temporaries are numbered across expressions. */
export class CodeUnit {
  readonly constants: unknown[] = [];
  temps = 0;
  constant(v: unknown): string {
    this.constants.push(v);
    return `K[${this.constants.length - 1}]`;
  }
  temp(): string {
    return `t${this.temps++}`;
  }
  declarations(): string {
    return this.temps ? `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};` : '';
  }
  /** Builds `function(a, …params) { body }` with the helpers and constants in scope. */
  build<F>(params: string[], body: string): F {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('NV', 'H', 'K', `"use strict"; return function (a, ${params.join(', ')}) { ${this.declarations()} ${body} };`);
    return factory(NO_VALUE, HELPERS, this.constants) as F;
  }
}

export function compileExpression(ast: AstNode, attributeTypes: Record<string, Type>): CompileResult {
  const unit = new CodeUnit();
  const g = generate(ast, attributeTypes, unit);
  return { ...g, fn: unit.build<Fn>([], `return ${g.code};`) };
}

/** Generates the code of one expression into `unit` (shared by all expressions of a model). */
export function generate(ast: AstNode, attributeTypes: Record<string, Type>, unit: CodeUnit): Generated {
  const used = new Set<string>();
  const c = gen(ast, { vars: new Map(), unit, attrs: attributeTypes, used });
  return { code: c.code, type: c.type, attributes: [...used] };
}

interface Ctx {
  vars: Map<string, string>;
  unit: CodeUnit;
  attrs: Record<string, Type>;
  used: Set<string>;
}

interface Code {
  code: string;
  type: Type;
  /** A literal's value. */
  constant?: Value;
  /** Set for `account.<attr>`: the property read, which is cheap to repeat. */
  attr?: string;
}

const lit = (value: Value, type: Type): Code => ({ code: literal(value), type, constant: value });

function literal(v: Value): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CompileError('numbers must be finite');
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  throw new CompileError('unsupported literal');
}

const fail = (node: AstNode, message: string): never => {
  throw new CompileError(message, node.start, node.end);
};

const NUMERIC = new Set<Type>(['int', 'double', 'dyn']);
const CMP: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function gen(node: AstNode, ctx: Ctx): Code {
  const sub = (n: unknown) => gen(n as AstNode, ctx);
  const args = node.args as unknown[];
  switch (node.op) {
    case 'value': {
      const v = node.args;
      if (typeof v === 'bigint') return lit(Number(v), 'int');
      if (typeof v === 'number') return lit(v, 'double');
      if (typeof v === 'string') return lit(v, 'string');
      if (typeof v === 'boolean') return lit(v, 'bool');
      if (v === null) return lit(null, 'null');
      return fail(node, 'bytes literals are not supported in account expressions');
    }
    case 'id': {
      const name = node.args as string;
      const v = ctx.vars.get(name);
      if (v) return { code: v, type: 'dyn' };
      if (name === 'account') return { code: 'a', type: 'map' };
      return fail(node, `unknown name "${name}"; expressions read attributes as account.<name>`);
    }
    case '.': {
      const [target, field] = args as [AstNode, string];
      if (target.op === 'id' && target.args === 'account' && !ctx.vars.has('account')) {
        ctx.used.add(field);
        const read = `a[${JSON.stringify(field)}]`;
        // A missing attribute is undefined: NO_VALUE.
        return { code: `(${read} ?? NV)`, type: ctx.attrs[field] ?? 'dyn', attr: read };
      }
      return { code: `H.field(${sub(target).code}, ${JSON.stringify(field)})`, type: 'dyn' };
    }
    case '[]': {
      const [o, i] = (args as AstNode[]).map(sub);
      return { code: `H.index(${o.code}, ${i.code})`, type: 'dyn' };
    }
    case '&&':
    case '||':
      return chain(node, ctx);
    case '!_': {
      const t = ctx.unit.temp();
      return { code: `((${t} = ${sub(node.args).code}) === true ? false : ${t} === false ? true : NV)`, type: 'bool' };
    }
    case '-_': {
      const x = sub(node.args);
      if (typeof x.constant === 'number') return lit(-x.constant, x.type);
      const t = ctx.unit.temp();
      return { code: `(typeof (${t} = ${x.code}) === "number" ? -${t} : NV)`, type: x.type };
    }
    case '?:': {
      const [c, y, n] = (args as AstNode[]).map(sub);
      const t = ctx.unit.temp();
      return { code: `((${t} = ${c.code}) === true ? ${y.code} : ${t} === false ? ${n.code} : NV)`, type: y.type === n.type ? y.type : 'dyn' };
    }
    case '==':
    case '!=': {
      const [l, r] = (args as AstNode[]).map(sub);
      const neg = node.op === '!=';
      if (l.attr && r.constant !== undefined && (r.constant === null || typeof r.constant !== 'object')) {
        // `account.x == 'literal'`: one read, a strict comparison.
        const t = ctx.unit.temp();
        return { code: `((${t} = ${l.attr}) === undefined ? NV : ${t} ${neg ? '!==' : '==='} ${r.code})`, type: 'bool' };
      }
      return { code: `H.${neg ? 'ne' : 'eq'}(${l.code}, ${r.code})`, type: 'bool' };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [l, r] = (args as AstNode[]).map(sub);
      const op = CMP[node.op];
      if (r.constant !== undefined && (typeof r.constant === 'number' || typeof r.constant === 'string')) {
        // `x >= 100`: compared only when x has the literal's type.
        const t = ctx.unit.temp();
        return { code: `(typeof (${t} = ${l.attr ?? l.code}) === "${typeof r.constant}" ? ${t} ${op} ${r.code} : NV)`, type: 'bool' };
      }
      return { code: `H.cmp${['<', '<=', '>', '>='].indexOf(op)}(${l.code}, ${r.code})`, type: 'bool' };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const [l, r] = (args as AstNode[]).map(sub);
      const intMath = l.type === 'int' && r.type === 'int';
      const type: Type =
        l.type === 'string' || l.type === 'list' ? l.type : intMath ? 'int' : NUMERIC.has(l.type) && NUMERIC.has(r.type) ? (l.type === 'dyn' || r.type === 'dyn' ? 'dyn' : 'double') : 'dyn';
      const name = { '+': 'add', '-': 'sub', '*': 'mul', '/': intMath ? 'idiv' : 'div', '%': intMath ? 'imod' : 'mod' }[node.op];
      return { code: `H.${name}(${l.code}, ${r.code})`, type };
    }
    case 'in': {
      const [el, coll] = (args as AstNode[]).map(sub);
      if (Array.isArray(coll.constant)) {
        // `account.x in ['a', 'b']`: a Set built once.
        const set = ctx.unit.constant(new Set(coll.constant as Value[]));
        const t = ctx.unit.temp();
        return { code: `((${t} = ${el.code}) === NV ? NV : ${set}.has(${t}))`, type: 'bool' };
      }
      if (coll.attr && el.constant !== undefined && el.constant !== null && typeof el.constant !== 'object') {
        // `'funding_round' in account.signals`
        const t = ctx.unit.temp();
        return { code: `(Array.isArray(${t} = ${coll.attr}) ? ${t}.includes(${el.code}) : NV)`, type: 'bool' };
      }
      return { code: `H.inColl(${el.code}, ${coll.code})`, type: 'bool' };
    }
    case 'list': {
      const items = (args as AstNode[]).map(sub);
      if (items.every((i) => i.constant !== undefined)) {
        const value = items.map((i) => i.constant as Value);
        return { code: ctx.unit.constant(value), type: 'list', constant: value };
      }
      return { code: `H.list([${items.map((i) => i.code).join(', ')}])`, type: 'list' };
    }
    case 'map': {
      const entries = (args as [AstNode, AstNode][]).map(([k, v]) => `[${sub(k).code}, ${sub(v).code}]`);
      return { code: `H.mapLit([${entries.join(', ')}])`, type: 'map' };
    }
    case 'call':
      return call(node, args[0] as string, (args[1] as AstNode[]) ?? [], ctx);
    case 'rcall':
      return method(node, args[0] as string, args[1] as AstNode, (args[2] as AstNode[]) ?? [], ctx);
    default:
      return fail(node, `"${node.op}" is not supported in account expressions`);
  }
}

/** `a && b && c` as one conditional chain; any operand that decides the result decides it. */
function chain(node: AstNode, ctx: Ctx): Code {
  const short = node.op === '||';
  const operands: Code[] = [];
  const flatten = (n: AstNode) => {
    if (n.op === node.op) (n.args as AstNode[]).forEach(flatten);
    else operands.push(gen(n, ctx));
  };
  flatten(node);
  const temps = operands.map(() => ctx.unit.temp());
  const decided = String(short);
  // (t0 = e0) === short ? short : (t1 = e1) === short ? short : … : (all === !short ? !short : NV)
  const allDecided = temps.map((t) => `${t} === ${String(!short)}`).join(' && ');
  let code = `(${allDecided} ? ${String(!short)} : NV)`;
  for (let i = operands.length - 1; i >= 0; i--) code = `((${temps[i]} = ${operands[i].code}) === ${decided} ? ${decided} : ${code})`;
  return { code, type: 'bool' };
}

function call(node: AstNode, name: string, argNodes: AstNode[], ctx: Ctx): Code {
  if (name === 'has') {
    const [target] = argNodes;
    if (target?.op !== '.') return fail(node, 'has() takes a field, e.g. has(account.industry)');
    return { code: `(${gen(target, ctx).code} !== NV)`, type: 'bool' };
  }
  const xs = argNodes.map((n) => gen(n, ctx));
  if (xs.length !== 1) return fail(node, `${name}() takes one argument`);
  const [x] = xs;
  switch (name) {
    case 'size':
      return { code: `H.size(${x.code})`, type: 'int' };
    case 'int':
      return { code: `H.toInt(${x.code})`, type: 'int' };
    case 'double':
      return { code: `H.toDouble(${x.code})`, type: 'double' };
    case 'string':
      return { code: `H.toStr(${x.code})`, type: 'string' };
    case 'dyn':
      return x;
    default:
      return fail(node, `the function ${name}() is not supported in account expressions`);
  }
}

const STRING_METHODS = new Set(['contains', 'startsWith', 'endsWith']);
const COMPREHENSIONS = new Set(['exists', 'all', 'exists_one', 'map', 'filter']);

function method(node: AstNode, name: string, recvNode: AstNode, argNodes: AstNode[], ctx: Ctx): Code {
  const recv = gen(recvNode, ctx);
  if (COMPREHENSIONS.has(name)) {
    const [varNode, ...body] = argNodes;
    if (varNode?.op !== 'id' || body.length < 1) return fail(node, `${name}() takes a variable and an expression, e.g. ${name}(x, x > 0)`);
    const v = `v${ctx.vars.size}_${ctx.unit.temps++}`;
    const inner: Ctx = { ...ctx, vars: new Map(ctx.vars).set(varNode.args as string, v) };
    const parts = body.map((b) => `(${v}) => ${gen(b, inner).code}`);
    return { code: `H.${name === 'exists_one' ? 'existsOne' : name}(${recv.code}, ${parts.join(', ')})`, type: name === 'map' || name === 'filter' ? 'list' : 'bool' };
  }
  if (name === 'size' && argNodes.length === 0) return { code: `H.size(${recv.code})`, type: 'int' };
  if ((name === 'lowerAscii' || name === 'upperAscii') && argNodes.length === 0) return { code: `H.${name}(${recv.code})`, type: 'string' };
  if (name === 'matches' && argNodes.length === 1) {
    const pattern = gen(argNodes[0], ctx);
    if (typeof pattern.constant !== 'string') return fail(node, 'matches() takes a literal pattern');
    let re: RegExp;
    try {
      re = new RegExp(pattern.constant);
    } catch (e) {
      return fail(argNodes[0], `invalid pattern: ${(e as Error).message}`);
    }
    return { code: `H.matches(${recv.code}, ${ctx.unit.constant(re)})`, type: 'bool' };
  }
  if (STRING_METHODS.has(name) && argNodes.length === 1) return { code: `H.${name}(${recv.code}, ${gen(argNodes[0], ctx).code})`, type: 'bool' };
  return fail(node, `the method ${name}() is not supported in account expressions`);
}

// ---- helpers the generated code calls for the less common shapes ----

const isNum = (x: unknown): x is number => typeof x === 'number';
const isStr = (x: unknown): x is string => typeof x === 'string';

function equal(x: Value, y: Value): boolean {
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => equal(v, y[i]));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => equal((x as Record<string, Value>)[k], (y as Record<string, Value>)[k]));
  }
  return false;
}

function comparable(x: Value, y: Value): boolean {
  return (isNum(x) && isNum(y)) || (isStr(x) && isStr(y));
}

function numeric(f: (x: number, y: number) => number, zeroIsError = false) {
  return (x: Value, y: Value): Value => (isNum(x) && isNum(y) && !(zeroIsError && y === 0) ? f(x, y) : NO_VALUE);
}

function each(list: Value, fn: (items: Value[]) => Value): Value {
  if (Array.isArray(list)) return fn(list);
  if (list && typeof list === 'object') return fn(Object.keys(list));
  return NO_VALUE;
}

export const HELPERS = {
  stringList: (v: unknown, allowed: Set<string> | null): boolean => {
    if (!Array.isArray(v)) return false;
    for (const x of v) if (typeof x !== 'string' || (allowed && !allowed.has(x))) return false;
    return true;
  },
  field: (o: Value, f: string): Value => (o !== null && typeof o === 'object' && !Array.isArray(o) ? ((o as Record<string, Value>)[f] ?? NO_VALUE) : NO_VALUE),
  index: (o: Value, i: Value): Value => {
    if (Array.isArray(o)) return isNum(i) && i >= 0 && i < o.length ? o[i] : NO_VALUE;
    if (o && typeof o === 'object' && i !== NO_VALUE) return (o as Record<string, Value>)[String(i)] ?? NO_VALUE;
    return NO_VALUE;
  },
  eq: (x: Value, y: Value): Value => (x === NO_VALUE || y === NO_VALUE ? NO_VALUE : equal(x, y)),
  ne: (x: Value, y: Value): Value => (x === NO_VALUE || y === NO_VALUE ? NO_VALUE : !equal(x, y)),
  cmp0: (x: Value, y: Value): Value => (comparable(x, y) ? (x as number) < (y as number) : NO_VALUE),
  cmp1: (x: Value, y: Value): Value => (comparable(x, y) ? (x as number) <= (y as number) : NO_VALUE),
  cmp2: (x: Value, y: Value): Value => (comparable(x, y) ? (x as number) > (y as number) : NO_VALUE),
  cmp3: (x: Value, y: Value): Value => (comparable(x, y) ? (x as number) >= (y as number) : NO_VALUE),
  add: (x: Value, y: Value): Value => {
    if (isStr(x) && isStr(y)) return x + y;
    if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
    return isNum(x) && isNum(y) ? x + y : NO_VALUE;
  },
  sub: numeric((x, y) => x - y),
  mul: numeric((x, y) => x * y),
  div: numeric((x, y) => x / y),
  idiv: numeric((x, y) => Math.trunc(x / y), true),
  mod: numeric((x, y) => x % y),
  imod: numeric((x, y) => x % y, true),
  inColl: (x: Value, c: Value): Value => {
    if (x === NO_VALUE || c === NO_VALUE) return NO_VALUE;
    if (Array.isArray(c)) return c.some((v) => equal(v, x));
    if (c && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, String(x));
    return NO_VALUE;
  },
  list: (items: Value[]): Value => (items.includes(NO_VALUE) ? NO_VALUE : items),
  mapLit: (entries: [Value, Value][]): Value => {
    const out: Record<string, Value> = {};
    for (const [k, v] of entries) {
      if (k === NO_VALUE || v === NO_VALUE) return NO_VALUE;
      out[String(k)] = v;
    }
    return out;
  },
  size: (v: Value): Value => (isStr(v) || Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : NO_VALUE),
  toInt: (v: Value): Value => (isNum(v) ? Math.trunc(v) : isStr(v) && v.trim() !== '' && Number.isFinite(Number(v)) ? Math.trunc(Number(v)) : NO_VALUE),
  toDouble: (v: Value): Value => (isNum(v) ? v : isStr(v) && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : NO_VALUE),
  toStr: (v: Value): Value => (v === NO_VALUE ? NO_VALUE : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)),
  lowerAscii: (v: Value): Value => (isStr(v) ? v.toLowerCase() : NO_VALUE),
  upperAscii: (v: Value): Value => (isStr(v) ? v.toUpperCase() : NO_VALUE),
  matches: (v: Value, re: RegExp): Value => (isStr(v) ? re.test(v) : NO_VALUE),
  contains: (v: Value, x: Value): Value => (isStr(v) && isStr(x) ? v.includes(x) : NO_VALUE),
  startsWith: (v: Value, x: Value): Value => (isStr(v) && isStr(x) ? v.startsWith(x) : NO_VALUE),
  endsWith: (v: Value, x: Value): Value => (isStr(v) && isStr(x) ? v.endsWith(x) : NO_VALUE),
  exists: (list: Value, p: (v: Value) => Value): Value =>
    each(list, (items) => {
      let unknown = false;
      for (const item of items) {
        const r = p(item);
        if (r === true) return true;
        if (r !== false) unknown = true;
      }
      return unknown ? NO_VALUE : false;
    }),
  all: (list: Value, p: (v: Value) => Value): Value =>
    each(list, (items) => {
      let unknown = false;
      for (const item of items) {
        const r = p(item);
        if (r === false) return false;
        if (r !== true) unknown = true;
      }
      return unknown ? NO_VALUE : true;
    }),
  existsOne: (list: Value, p: (v: Value) => Value): Value =>
    each(list, (items) => {
      let n = 0;
      for (const item of items) {
        const r = p(item);
        if (r !== true && r !== false) return NO_VALUE;
        if (r) n++;
      }
      return n === 1;
    }),
  /** map(x, f) or map(x, p, f): transform (the items for which p holds). */
  map: (list: Value, a: (v: Value) => Value, b?: (v: Value) => Value): Value =>
    each(list, (items) => {
      const out: Value[] = [];
      for (const item of items) {
        if (b) {
          const keep = a(item);
          if (keep !== true && keep !== false) return NO_VALUE;
          if (!keep) continue;
        }
        const v = (b ?? a)(item);
        if (v === NO_VALUE) return NO_VALUE;
        out.push(v);
      }
      return out;
    }),
  filter: (list: Value, p: (v: Value) => Value): Value =>
    each(list, (items) => {
      const out: Value[] = [];
      for (const item of items) {
        const r = p(item);
        if (r !== true && r !== false) return NO_VALUE;
        if (r) out.push(item);
      }
      return out;
    }),
};
