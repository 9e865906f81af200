import { HELPERS } from './helpers';
import { operator } from './operators';
import { NO_VALUE, re2, Value } from './runtime';

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
  return { code: c.code, type: c.type, attributes: [...used], safe: c.safe };
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

export function gen(node: AstNode, ctx: Ctx): Code {
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
      return negate(node, sub(node.args), ctx);
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

function negate(node: AstNode, x: Code, ctx: Ctx): Code {
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
      const v = HELPERS.ineg(x.constant as number | bigint) as number | bigint;
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
export function pattern(node: AstNode, p: Code, ctx: Ctx): string {
  if (typeof p.constant !== 'string') return refuse(node, 'matches() takes a literal pattern');
  try {
    return ctx.unit.constant(re2(p.constant));
  } catch (e) {
    return refuse(node, `invalid pattern: ${(e as Error).message.split('\n')[0]}`);
  }
}

export type { Ctx };
export { refuse, typeOf };

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
