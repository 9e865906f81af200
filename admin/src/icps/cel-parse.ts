/**
 * A strict reader for the small part of CEL that a sentence can say exactly:
 * `&&`, `||`, `!`, comparisons, `in`, literals and lists, `account.<name>`,
 * `size(…)` and `<list>.exists(v, …)`. Anything else (arithmetic, other
 * functions, ternaries, chained comparisons, raw or byte strings) throws
 * `Unsupported`, so the caller shows the CEL text rather than a guess.
 * Every node keeps its range in the source, for showing a part as written.
 */
export type Node = { start: number; end: number } & (
  | { k: 'lit'; v: number | string | boolean; raw: string }
  | { k: 'list'; items: Node[] }
  | { k: 'attr'; name: string }
  | { k: 'var'; name: string }
  | { k: 'not'; x: Node }
  | { k: 'and' | 'or'; xs: Node[] }
  | { k: 'cmp'; op: CmpOp; l: Node; r: Node }
  | { k: 'in'; l: Node; r: Node }
  | { k: 'size'; x: Node }
  | { k: 'exists'; list: Node; v: string; body: Node }
);
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export class Unsupported extends Error {}

interface Token {
  t: 'num' | 'str' | 'id' | 'op';
  v: string;
  raw: string;
  start: number;
  end: number;
}

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.', '-'];
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      // 0x…, 1u, 1.e3: other literal forms, not read here.
      if (/^[\w.]/.test(src.slice(i))) throw new Unsupported(`number at ${start}`);
      out.push({ t: 'num', v: num[0], raw: num[0], start, end: i });
      continue;
    }
    if (ch === "'" || ch === '"') {
      if (src.startsWith(ch.repeat(3), i)) throw new Unsupported('triple-quoted string');
      let v = '';
      i++;
      while (i < src.length && src[i] !== ch) {
        if (src[i] === '\\') {
          const e = ESCAPES[src[i + 1]];
          if (e === undefined) throw new Unsupported('escape');
          v += e;
          i += 2;
        } else v += src[i++];
      }
      if (i >= src.length) throw new Unsupported('unterminated string');
      i++;
      out.push({ t: 'str', v, raw: src.slice(start, i), start, end: i });
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(src.slice(i));
    if (id) {
      i += id[0].length;
      // r'…', b'…': raw and byte strings.
      if (src[i] === "'" || src[i] === '"') throw new Unsupported('prefixed string');
      out.push({ t: 'id', v: id[0], raw: id[0], start, end: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new Unsupported(`character ${ch}`);
    i += op.length;
    out.push({ t: 'op', v: op, raw: op, start, end: i });
  }
  return out;
}

const RELATIONS = ['==', '!=', '<', '<=', '>', '>=', 'in'];

/** Parses `src`; throws Unsupported for anything outside the subset. */
export function parseCel(src: string): Node {
  const tokens = tokenize(src);
  let p = 0;
  const vars = new Set<string>();
  const peek = () => tokens[p];
  const is = (v: string) => peek()?.v === v && peek()?.t !== 'str';
  const expect = (v: string) => {
    if (!is(v)) throw new Unsupported(`expected ${v}`);
    return tokens[p++];
  };

  const chain = (k: 'and' | 'or', op: string, next: () => Node) => (): Node => {
    const first = next();
    if (!is(op)) return first;
    const xs = [first];
    while (is(op)) {
      p++;
      xs.push(next());
    }
    return { k, xs, start: first.start, end: xs[xs.length - 1].end };
  };

  const relation = (): Node => {
    const l = unary();
    const op = peek();
    if (!op || !RELATIONS.includes(op.v) || op.t === 'str') return l;
    p++;
    const r = unary();
    const next = peek();
    if (next && RELATIONS.includes(next.v) && next.t !== 'str') throw new Unsupported('chained comparison');
    const range = { start: l.start, end: r.end };
    return op.v === 'in' ? { k: 'in', l, r, ...range } : { k: 'cmp', op: op.v as CmpOp, l, r, ...range };
  };

  const unary = (): Node => {
    const tok = peek();
    if (is('!')) {
      p++;
      const x = unary();
      return { k: 'not', x, start: tok.start, end: x.end };
    }
    if (is('-')) {
      p++;
      const n = peek();
      if (n?.t !== 'num') throw new Unsupported('minus');
      p++;
      return { k: 'lit', v: -Number(n.v), raw: `-${n.raw}`, start: tok.start, end: n.end };
    }
    return member();
  };

  const member = (): Node => {
    let node = primary();
    while (is('.')) {
      p++;
      const name = peek();
      if (name?.t !== 'id') throw new Unsupported('member');
      p++;
      if (node.k === 'var' && node.name === 'account' && !is('(')) {
        node = { k: 'attr', name: name.v, start: node.start, end: name.end };
      } else if (node.k === 'attr' && name.v === 'exists' && is('(')) {
        p++;
        const v = peek();
        if (v?.t !== 'id' || v.v === 'account' || vars.has(v.v)) throw new Unsupported('variable');
        p++;
        expect(',');
        vars.add(v.v);
        const body = expr();
        vars.delete(v.v);
        const close = expect(')');
        node = { k: 'exists', list: node, v: v.v, body, start: node.start, end: close.end };
      } else throw new Unsupported(`.${name.v}`);
    }
    if (node.k === 'var' && node.name === 'account') throw new Unsupported('account alone');
    return node;
  };

  const primary = (): Node => {
    const tok = peek();
    if (!tok) throw new Unsupported('end of expression');
    p++;
    if (tok.t === 'num') {
      const int = !/[.eE]/.test(tok.v);
      // An int literal past 2^53 would not be the number CEL reads.
      if (int && !Number.isSafeInteger(Number(tok.v))) throw new Unsupported('large int');
      return { k: 'lit', v: Number(tok.v), raw: tok.raw, start: tok.start, end: tok.end };
    }
    if (tok.t === 'str') return { k: 'lit', v: tok.v, raw: tok.raw, start: tok.start, end: tok.end };
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false')
        return { k: 'lit', v: tok.v === 'true', raw: tok.v, start: tok.start, end: tok.end };
      if (tok.v === 'size' && is('(')) {
        p++;
        const x = expr();
        const close = expect(')');
        return { k: 'size', x, start: tok.start, end: close.end };
      }
      if (tok.v === 'account' || vars.has(tok.v)) return { k: 'var', name: tok.v, start: tok.start, end: tok.end };
      throw new Unsupported(`name ${tok.v}`);
    }
    if (tok.v === '(') {
      const inner = expr();
      const close = expect(')');
      // The brackets belong to the part, so showing it as written keeps them.
      return { ...inner, start: tok.start, end: close.end };
    }
    if (tok.v === '[') {
      const items: Node[] = [];
      while (!is(']')) {
        items.push(expr());
        if (!is(']')) expect(',');
      }
      const close = expect(']');
      return { k: 'list', items, start: tok.start, end: close.end };
    }
    throw new Unsupported(`token ${tok.v}`);
  };

  const and = chain('and', '&&', relation);
  const expr = chain('or', '||', and);
  const node = expr();
  if (p < tokens.length) throw new Unsupported(`unexpected ${tokens[p].v}`);
  return node;
}

/** The node as CEL, fully bracketed: what the reader understood, to compare with the text it read. */
export function printCel(n: Node): string {
  switch (n.k) {
    case 'lit':
      return typeof n.v === 'string' ? JSON.stringify(n.v) : n.raw;
    case 'list':
      return `[${n.items.map(printCel).join(', ')}]`;
    case 'attr':
      return `account.${n.name}`;
    case 'var':
      return n.name;
    case 'not':
      return `!(${printCel(n.x)})`;
    case 'and':
    case 'or':
      return n.xs.map((x) => `(${printCel(x)})`).join(n.k === 'and' ? ' && ' : ' || ');
    case 'cmp':
      return `(${printCel(n.l)}) ${n.op} (${printCel(n.r)})`;
    case 'in':
      return `(${printCel(n.l)}) in (${printCel(n.r)})`;
    case 'size':
      return `size(${printCel(n.x)})`;
    case 'exists':
      return `${printCel(n.list)}.exists(${n.v}, ${printCel(n.body)})`;
  }
}
