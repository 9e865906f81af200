import { HELPERS } from './helpers';
import { buildMap, CelError, NO_VALUE, re2, type Value } from './runtime';

/**
 * Compiles a CEL syntax tree (parsed and type-checked by @marcbachmann/cel-js,
 * which annotates every node with its `checkedType`) into plain JavaScript:
 * each expression becomes a piece of JS source over `a` (the account's
 * attributes), and the engine joins a whole model's pieces into one function.
 *
 * Semantics come from the checker's types, never from a guess: `/` on ints is
 * integer division, on doubles IEEE division. Values and errors are as in
 * runtime.ts: an attribute the account lacks is NO_VALUE (it propagates, and
 * `false && x` is false whatever x is); a CEL error is a thrown CelError,
 * absorbed by `&&`, `||`, exists() and all() where CEL absorbs it. Operations
 * whose meaning the checker cannot pin down (arithmetic on dyn) are refused.
 *
 * Safety: no text of the expression reaches the generated code unescaped.
 * Strings are emitted through JSON.stringify, numbers only when finite,
 * attribute names as JSON-quoted keys read as own properties only,
 * comprehension variables as generated names, operators from a fixed list.
 */
export { NO_VALUE };
export type { Value };
export type Account = Record<string, unknown>;
export type Fn = (account: Account, vars?: Record<string, Value>) => Value;

export interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
  checkedType?: { name: string };
}

export class CompileError extends Error {
  constructor(
    message: string,
    readonly start?: number,
    readonly end?: number,
  ) {
    super(message);
  }
}

/** Generated code for one expression: a JS expression over `a`, with its constants and temporaries. */
export interface Generated {
  /** A JS expression; reads `a`, `V` (test variables), `NV`, `H` (helpers), `K` (constants) and the temporaries. */
  code: string;
  type: string;
  attributes: string[];
  /** False when evaluating it may throw a CelError (the engine then catches it per check). */
  safe: boolean;
  /** A number the expression always gives (a literal, folded), else undefined. */
  constant?: number;
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
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the engine compiles the code it generated (see Safety)
    const factory = new Function(
      'NV',
      'H',
      'K',
      `"use strict"; return function (a, ${params.join(', ')}) { ${this.declarations()} ${body} };`,
    );
    return factory(NO_VALUE, HELPERS, this.constants) as F;
  }
}

export function compileExpression(ast: AstNode, attributes: Set<string>, variables?: Set<string>): CompileResult {
  const unit = new CodeUnit();
  const g = generate(ast, attributes, unit, variables);
  return { ...g, fn: unit.build<Fn>(['V'], `return ${g.code};`) };
}

/** Generates the code of one expression into `unit` (shared by all expressions of a model). */
export function generate(
  ast: AstNode,
  attributes: Set<string>,
  unit: CodeUnit,
  variables = new Set<string>(),
): Generated {
  const used = new Set<string>();
  const c = gen(ast, { vars: new Map(), unit, attrs: attributes, globals: variables, used });
  const constant =
    typeof c.constant === 'number' ? c.constant : typeof c.constant === 'bigint' ? Number(c.constant) : undefined;
  return { code: c.code, type: c.type, attributes: [...used], safe: c.safe, constant };
}

interface Ctx {
  vars: Map<string, string>;
  unit: CodeUnit;
  attrs: Set<string>;
  globals: Set<string>;
  used: Set<string>;
}

export interface Code {
  code: string;
  type: string;
  safe: boolean;
  /** A literal's value. */
  constant?: Value;
  /** For `account.<attr>`: an own-property read that gives undefined when the account lacks it. */
  attr?: string;
}

const typeOf = (n: AstNode): string => n.checkedType?.name ?? 'dyn';
const refuse = (node: AstNode, message: string): never => {
  throw new CompileError(message, node.start, node.end);
};

function literal(node: AstNode, ctx: Ctx): Code {
  const v = node.args;
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n)
      ? { code: String(n), type: 'int', safe: true, constant: n }
      : { code: `${v}n`, type: 'int', safe: true, constant: v };
  }
  if (typeof v === 'number') {
    const code = Number.isFinite(v) ? (Object.is(v, -0) ? '-0' : String(v)) : ctx.unit.constant(v);
    return { code, type: 'double', safe: true, constant: v };
  }
  if (typeof v === 'string' || typeof v === 'boolean' || v === null)
    return { code: JSON.stringify(v), type: typeOf(node), safe: true, constant: v };
  if (v instanceof Uint8Array) return refuse(node, 'bytes literals are not supported in account expressions');
  return refuse(node, 'unsigned integers (1u, uint()) are not supported in account expressions; use int');
}

/** An attribute read: own properties only, so `toString` or `__proto__` never reach Object.prototype. */
function attribute(node: AstNode, name: string, ctx: Ctx): Code {
  if (!ctx.attrs.has(name)) return refuse(node, `unknown attribute "${name}"`);
  ctx.used.add(name);
  const key = JSON.stringify(name);
  // Plain reads are own reads unless Object.prototype has the name; those go through hasOwn.
  const read = name in Object.prototype ? `H.own(a, ${key})` : `a[${key}]`;
  return { code: `(${read} ?? NV)`, type: typeOf(node), safe: true, attr: read };
}

const isAccount = (n: AstNode, ctx: Ctx) => n.op === 'id' && n.args === 'account' && !ctx.vars.has('account');

function gen(node: AstNode, ctx: Ctx): Code {
  const sub = (n: unknown) => gen(n as AstNode, ctx);
  const args = node.args as unknown[];
  switch (node.op) {
    case 'value':
      return literal(node, ctx);
    case 'id': {
      const name = node.args as string;
      const v = ctx.vars.get(name);
      if (v) return { code: v, type: typeOf(node), safe: true };
      if (ctx.globals.has(name)) return { code: `V[${JSON.stringify(name)}]`, type: typeOf(node), safe: true };
      if (name === 'account') return refuse(node, 'account is read attribute by attribute, e.g. account.industry');
      return refuse(node, `unknown name "${name}"; expressions read attributes as account.<name>`);
    }
    case '.': {
      const [target, field] = args as [AstNode, string];
      if (isAccount(target, ctx)) return attribute(node, field, ctx);
      return { code: `H.field(${sub(target).code}, ${JSON.stringify(field)})`, type: typeOf(node), safe: false };
    }
    case '[]': {
      const [target, index] = args as [AstNode, AstNode];
      if (isAccount(target, ctx)) {
        if (index.op !== 'value' || typeof index.args !== 'string')
          return refuse(index, 'account[...] takes a literal attribute name');
        return attribute(node, index.args, ctx);
      }
      return { code: `H.index(${sub(target).code}, ${sub(index).code})`, type: typeOf(node), safe: false };
    }
    case '&&':
    case '||':
      return chain(node, ctx);
    case '!_': {
      const x = sub(node.args);
      const t = ctx.unit.temp();
      return { code: `((${t} = ${x.code}) === true ? false : ${t} === false ? true : NV)`, type: 'bool', safe: x.safe };
    }
    case '-_':
      return negate(node, sub(node.args));
    case '?:': {
      const [c, y, n] = (args as AstNode[]).map(sub);
      const t = ctx.unit.temp();
      return {
        code: `((${t} = ${c.code}) === true ? ${y.code} : ${t} === false ? ${n.code} : NV)`,
        type: typeOf(node),
        safe: c.safe && y.safe && n.safe,
      };
    }
    default:
      return operator(node, ctx);
  }
}

function negate(node: AstNode, x: Code): Code {
  const type = typeOf(node);
  if (type !== 'int' && type !== 'double')
    return refuse(
      node,
      `cannot negate a value of type ${x.type} (its type must be known when the expression is saved)`,
    );
  if (x.constant !== undefined && type === 'double')
    return { ...x, code: `(-${x.code})`, constant: -(x.constant as number) };
  if (x.constant !== undefined && type === 'int') {
    try {
      const v = HELPERS.ineg(x.constant) as number | bigint;
      return { code: typeof v === 'bigint' ? `${v}n` : String(v), type, safe: true, constant: v };
    } catch {
      return { code: `H.ineg(${x.code})`, type, safe: false };
    }
  }
  return { code: `H.${type === 'int' ? 'ineg' : 'dneg'}(${x.code})`, type, safe: type === 'double' && x.safe };
}

/** `a && b && c` as one conditional chain; any operand that decides the result decides it, even past an error. */
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
  // (t0 = e0) === short ? short : (t1 = e1) === short ? short : … : (all === !short ? !short : undecided)
  const allDecided = temps.map((t) => `${t} === ${String(!short)}`).join(' && ');
  // Operands that cannot fail are true, false or NV: then nothing but NV is left undecided.
  const safe = operands.every((o) => o.safe);
  let code = `(${allDecided} ? ${String(!short)} : ${safe ? 'NV' : `H.undecided([${temps.join(', ')}])`})`;
  for (let i = operands.length - 1; i >= 0; i--) {
    // An operand that may throw is caught into a value, so a later operand can still decide.
    const value = operands[i].safe ? operands[i].code : `H.attempt(() => ${operands[i].code})`;
    code = `((${temps[i]} = ${value}) === ${decided} ? ${decided} : ${code})`;
  }
  return { code, type: 'bool', safe };
}

/** A literal RE2 pattern, compiled once (RE2 matches in linear time; JS RegExp backtracks). */
function pattern(node: AstNode, p: Code, ctx: Ctx): string {
  if (typeof p.constant !== 'string') return refuse(node, 'matches() takes a literal pattern');
  try {
    return ctx.unit.constant(re2(p.constant));
  } catch (e) {
    return refuse(node, `invalid pattern: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Operators, literals of lists and maps, functions and methods (semantics: see the top of this file). */
function operator(node: AstNode, ctx: Ctx): Code {
  const sub = (n: unknown) => gen(n as AstNode, ctx);
  const args = node.args as unknown[];
  switch (node.op) {
    case '==':
    case '!=':
      return equality(node, (args as AstNode[]).map(sub) as [Code, Code], ctx);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordering(node, (args as AstNode[]).map(sub) as [Code, Code], ctx);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(node, (args as AstNode[]).map(sub) as [Code, Code]);
    case 'in':
      return membership((args as AstNode[]).map(sub) as [Code, Code], ctx);
    case 'list': {
      const items = (args as AstNode[]).map(sub);
      if (items.every((i) => i.constant !== undefined)) {
        const value = items.map((i) => i.constant as Value);
        return { code: ctx.unit.constant(value), type: typeOf(node), safe: true, constant: value };
      }
      return {
        code: `H.list([${items.map((i) => i.code).join(', ')}])`,
        type: typeOf(node),
        safe: items.every((i) => i.safe),
      };
    }
    case 'map': {
      const bad = (args as [AstNode, AstNode][]).find(([k]) => !['int', 'string', 'bool', 'dyn'].includes(typeOf(k)));
      if (bad) return refuse(bad[0], `map keys must be int, string or bool, not ${typeOf(bad[0])}`);
      const entries = (args as [AstNode, AstNode][]).flatMap(([k, v]) => [sub(k), sub(v)]);
      if (entries.every((e) => e.constant !== undefined)) {
        try {
          const value = buildMap(entries.map((e) => e.constant as Value));
          return { code: ctx.unit.constant(value), type: typeOf(node), safe: true, constant: value };
        } catch (e) {
          if (!(e instanceof CelError)) throw e; // a repeated key: an error when evaluated, as CEL
        }
      }
      return { code: `H.mapLit([${entries.map((e) => e.code).join(', ')}])`, type: typeOf(node), safe: false };
    }
    case 'call':
      return call(node, args[0] as string, (args[1] as AstNode[]) ?? [], ctx);
    case 'rcall':
      return method(node, args[0] as string, args[1] as AstNode, (args[2] as AstNode[]) ?? [], ctx);
    default:
      return refuse(node, `"${node.op}" is not supported in account expressions`);
  }
}

/** A literal that compares with `===` and `<` exactly as CEL does. */
const simple = (v: Value | undefined): boolean =>
  typeof v === 'boolean' ||
  (typeof v === 'string' && !/[\ud800-\uffff]/.test(v)) ||
  (typeof v === 'number' && Number.isSafeInteger(v));

function equality(node: AstNode, [l, r]: [Code, Code], ctx: Ctx): Code {
  const neg = node.op === '!=';
  if (l.attr && simple(r.constant)) {
    // `account.x == 'literal'`: one read, a strict comparison.
    const t = ctx.unit.temp();
    return {
      code: `((${t} = ${l.attr}) === undefined ? NV : ${t} ${neg ? '!==' : '==='} ${r.code})`,
      type: 'bool',
      safe: true,
    };
  }
  return { code: `H.${neg ? 'ne' : 'eq'}(${l.code}, ${r.code})`, type: 'bool', safe: l.safe && r.safe };
}

function ordering(node: AstNode, [l, r]: [Code, Code], ctx: Ctx): Code {
  const op = node.op;
  // An int held as BigInt against a double literal compares as doubles: that takes H; attributes are safe ints.
  const numeric =
    typeof r.constant === 'number' &&
    (l.type === 'double' || (l.type === 'int' && (Number.isSafeInteger(r.constant) || !!l.attr)));
  if (numeric || (l.type === 'string' && simple(r.constant))) {
    // `x >= 100`: the checker's types make a JS comparison exact (NaN compares false in both).
    const t = ctx.unit.temp();
    const read = l.attr ? `(${t} = ${l.attr}) === undefined` : `(${t} = ${l.code}) === NV`;
    return { code: `(${read} ? NV : ${t} ${op} ${r.code})`, type: 'bool', safe: l.safe };
  }
  const name = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' }[op];
  return { code: `H.${name}(${l.code}, ${r.code})`, type: 'bool', safe: false };
}

function arithmetic(node: AstNode, [l, r]: [Code, Code]): Code {
  const type = typeOf(node);
  const name = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' }[node.op]!;
  const both = (t: string) => l.type === t && r.type === t;
  if (type === 'int' && both('int')) return { code: `H.i${name}(${l.code}, ${r.code})`, type, safe: false };
  if (type === 'double' && both('double') && name !== 'mod')
    return { code: `H.d${name}(${l.code}, ${r.code})`, type, safe: l.safe && r.safe };
  if (name === 'add' && type === 'string' && both('string'))
    return { code: `H.sadd(${l.code}, ${r.code})`, type, safe: l.safe && r.safe };
  if (name === 'add' && type.startsWith('list') && l.type.startsWith('list') && r.type.startsWith('list')) {
    return { code: `H.ladd(${l.code}, ${r.code})`, type, safe: l.safe && r.safe };
  }
  return refuse(
    node,
    `"${node.op}" on ${l.type} and ${r.type}: the operand types must be known when the expression is saved (convert with int(), double() or string())`,
  );
}

function membership([el, coll]: [Code, Code], ctx: Ctx): Code {
  const t = ctx.unit.temp();
  if (Array.isArray(coll.constant) && coll.constant.every((v) => simple(v))) {
    // `account.x in ['a', 'b']`: a Set built once.
    const set = ctx.unit.constant(new Set(coll.constant));
    return { code: `((${t} = ${el.code}) === NV ? NV : ${set}.has(${t}))`, type: 'bool', safe: el.safe };
  }
  if (coll.attr && typeof el.constant === 'string') {
    // `'funding_round' in account.signals`
    return { code: `(Array.isArray(${t} = ${coll.attr}) ? ${t}.includes(${el.code}) : NV)`, type: 'bool', safe: true };
  }
  return { code: `H.inColl(${el.code}, ${coll.code})`, type: 'bool', safe: false };
}

const CONVERSIONS: Record<string, string> = { int: 'toInt', double: 'toDouble', string: 'toStr', bool: 'toBool' };

function call(node: AstNode, name: string, argNodes: AstNode[], ctx: Ctx): Code {
  if (name === 'has') {
    const [target] = argNodes;
    if (target?.op !== '.') return refuse(node, 'has() takes a field, e.g. has(account.industry)');
    const [obj, field] = target.args as [AstNode, string];
    if (obj.op === 'id' && obj.args === 'account' && !ctx.vars.has('account')) {
      const a = gen(target, ctx);
      return { code: `(${a.attr} !== undefined)`, type: 'bool', safe: true };
    }
    return { code: `H.has(${gen(obj, ctx).code}, ${JSON.stringify(field)})`, type: 'bool', safe: false };
  }
  const xs = argNodes.map((n) => gen(n, ctx));
  if (name === 'matches' && xs.length === 2)
    return { code: `H.matches(${xs[0].code}, ${pattern(argNodes[1], xs[1], ctx)})`, type: 'bool', safe: xs[0].safe };
  if (xs.length !== 1)
    return refuse(node, `${name}() with ${xs.length} arguments is not supported in account expressions`);
  const [x] = xs;
  if (name === 'size') return { code: `H.size(${x.code})`, type: 'int', safe: x.safe && sized(x.type) };
  if (name === 'dyn') return { ...x, type: 'dyn' };
  if (CONVERSIONS[name]) return { code: `H.${CONVERSIONS[name]}(${x.code})`, type: name, safe: false };
  return refuse(node, `the function ${name}() is not supported in account expressions`);
}

/** size() of a value the checker typed as a string, list or map cannot fail. */
const sized = (type: string) => type === 'string' || /^(list|map)</.test(type);

const STRING_METHODS = new Set(['contains', 'startsWith', 'endsWith']);
const COMPREHENSIONS: Record<string, string> = {
  exists: 'exists',
  all: 'all',
  exists_one: 'existsOne',
  map: 'map',
  filter: 'filter',
};

function method(node: AstNode, name: string, recvNode: AstNode, argNodes: AstNode[], ctx: Ctx): Code {
  const recv = gen(recvNode, ctx);
  const type = typeOf(node);
  if (COMPREHENSIONS[name]) {
    const [varNode, ...body] = argNodes;
    if (varNode?.op !== 'id' || body.length < 1)
      return refuse(node, `${name}() takes a variable and an expression, e.g. ${name}(x, x > 0)`);
    const v = `v${ctx.vars.size}_${ctx.unit.temps++}`;
    const inner: Ctx = { ...ctx, vars: new Map(ctx.vars).set(varNode.args as string, v) };
    const bodies = body.map((b) => gen(b, inner));
    const parts = bodies.map((b) => `(${v}) => ${b.code}`);
    // Over a typed list or map with bodies that cannot fail, the macro cannot fail either.
    const safe = recv.safe && sized(recv.type) && bodies.every((b) => b.safe);
    return { code: `H.${COMPREHENSIONS[name]}(${recv.code}, ${parts.join(', ')})`, type, safe };
  }
  if (argNodes.length === 0 && (name === 'size' || name === 'lowerAscii' || name === 'upperAscii'))
    return { code: `H.${name}(${recv.code})`, type, safe: recv.safe && sized(recv.type) };
  if (argNodes.length === 1 && name === 'matches')
    return {
      code: `H.matches(${recv.code}, ${pattern(argNodes[0], gen(argNodes[0], ctx), ctx)})`,
      type,
      safe: recv.safe,
    };
  if (argNodes.length === 1 && STRING_METHODS.has(name)) {
    const x = gen(argNodes[0], ctx);
    return { code: `H.${name}(${recv.code}, ${x.code})`, type, safe: recv.safe && x.safe };
  }
  return refuse(node, `the method ${name}() is not supported in account expressions`);
}

/**
 * The conditions of a criterion: the operands of its top-level `&&` chain
 * (through brackets: `(A && B) && C` is A, B and C), each with its source
 * text; an expression that is no `&&` is one condition.
 */
export function conjuncts(ast: AstNode, source: string): { node: AstNode; text: string }[] {
  const out: { node: AstNode; text: string }[] = [];
  const walk = (n: AstNode) => {
    if (n.op === '&&') (n.args as AstNode[]).forEach(walk);
    else out.push({ node: n, text: sourceOf(n, source) });
  };
  walk(ast);
  return out;
}

/** A node's source text; the parser's range may stop short of a closing bracket (`!(x < 3`), so brackets are balanced. */
function sourceOf(n: AstNode, source: string): string {
  const start = n.start ?? 0;
  let end = n.end ?? source.length;
  let open = 0;
  let quote: string | null = null;
  for (let i = start; i < end; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') open++;
    else if (ch === ')' || ch === ']' || ch === '}') open--;
  }
  while (open > 0 && end < source.length) {
    const ch = source[end++];
    if (ch === ')' || ch === ']' || ch === '}') open--;
    else if (!/\s/.test(ch)) return source.slice(start, n.end).trim();
  }
  return source.slice(start, end).trim();
}
