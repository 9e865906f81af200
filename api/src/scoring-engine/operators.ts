import { AstNode, Code, Ctx, gen, pattern, refuse, typeOf } from './compile';
import { buildMap, CelError, Value } from './runtime';

/** Operators, literals of lists and maps, functions and methods (see compile.ts for the semantics). */
export function operator(node: AstNode, ctx: Ctx): Code {
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
