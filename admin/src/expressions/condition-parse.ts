import type { Combinator, Condition, Group, Literal, Node, Operator } from './condition-tree';

/**
 * Reads the CEL the builder can show into its tree (condition-tree.ts),
 * keeping the text of each condition and what lies between them, so the tree
 * prints back to the same text. What it cannot show — arithmetic, other
 * functions, attributes on the right, comments — is refused with the reason,
 * and the builder leaves the text alone.
 *
 * The conditions it reads, with `a` for `account.<attribute>`:
 *   a op literal (op: == != < <= > >=), a in [..], !(a in [..]), a, !a,
 *   'x' in a, !('x' in a), a.exists(v, v in [..]), size(a) == 0, size(a) > 0,
 *   has(a), !has(a); joined by && and ||, with brackets; or the whole text `true`.
 */
export class Unsupported extends Error {}

interface Token {
  kind: 'ident' | 'number' | 'string' | 'punct' | 'end';
  value: string;
  start: number;
  end: number;
}

const PUNCT = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.', '-'];
const UNESCAPE: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) throw new Unsupported('it has a comment');
    const start = i;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (word) {
      if (/^[rRbB]$/.test(word[0]) && /['"]/.test(src[i + 1] ?? ''))
        throw new Unsupported('it has raw or bytes strings');
      tokens.push({ kind: 'ident', value: word[0], start, end: (i += word[0].length) });
    } else if (num) {
      if (/[xXuU]/.test(src[i + num[0].length] ?? '')) throw new Unsupported('it has hexadecimal or unsigned numbers');
      tokens.push({ kind: 'number', value: num[0], start, end: (i += num[0].length) });
    } else if (c === "'" || c === '"') {
      if (src.startsWith(c.repeat(3), i)) throw new Unsupported('it has triple-quoted strings');
      let value = '';
      for (i++; src[i] !== c; i++) {
        if (i >= src.length || src[i] === '\n') throw new Unsupported('a string is not closed');
        if (src[i] !== '\\') {
          value += src[i];
          continue;
        }
        const e = src[++i];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) {
          value += String.fromCharCode(parseInt(src.slice(i + 1, i + 5), 16));
          i += 4;
        } else if (e in UNESCAPE) value += UNESCAPE[e];
        else throw new Unsupported('a string has an escape the builder does not read');
      }
      tokens.push({ kind: 'string', value, start, end: ++i });
    } else {
      const p = PUNCT.find((x) => src.startsWith(x, i));
      if (!p) throw new Unsupported(`it uses "${c}"`);
      tokens.push({ kind: 'punct', value: p, start, end: (i += p.length) });
    }
  }
  tokens.push({ kind: 'end', value: '', start: src.length, end: src.length });
  return tokens;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
type Body = Omit<Condition, 'kind' | 'text'>;
const make = (attribute: string, operator: Operator, values: Literal[] = []): Body => ({ attribute, operator, values });
type Span = [number, number];

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  /** Where each node starts and ends in the source. */
  readonly spans = new Map<Node, Span>();
  /** Groups made by && and || alone, without brackets of their own. */
  private readonly bare = new Set<Group>();

  constructor(private readonly src: string) {
    this.tokens = tokenize(src);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private is(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind !== 'string' && t.value === value;
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private expect(value: string): Token {
    if (!this.is(value)) throw new Unsupported(`the builder does not read "${this.peek().value || 'the end'}" there`);
    return this.next();
  }
  private ident(): string {
    const t = this.next();
    if (t.kind !== 'ident') throw new Unsupported(`the builder does not read "${t.value || 'the end'}" there`);
    return t.value;
  }

  parse(): Group {
    const node = this.or();
    if (this.peek().kind !== 'end') throw new Unsupported(`the builder does not read "${this.peek().value}" there`);
    const [start, end] = this.spans.get(node)!;
    const outer = { open: this.src.slice(0, start), close: this.src.slice(end) };
    if (node.kind === 'group' && this.bare.has(node)) return { ...node, ...outer };
    return { kind: 'group', combinator: '&&', children: [node], ...outer };
  }

  private joined(op: Combinator, operand: () => Node): Node {
    const children = [operand()];
    while (this.is(op)) {
      this.next();
      children.push(operand());
    }
    if (children.length === 1) return children[0];
    const spans = children.map((c) => this.spans.get(c)!);
    const separators = spans.slice(1).map(([start], i) => this.src.slice(spans[i][1], start));
    const group: Group = { kind: 'group', combinator: op, children, separators, open: '', close: '' };
    this.bare.add(group);
    this.spans.set(group, [spans[0][0], spans[spans.length - 1][1]]);
    return group;
  }

  private or = (): Node => this.joined('||', this.and);
  private and = (): Node => this.joined('&&', this.primary);

  private primary = (): Node => {
    if (!this.is('(')) return this.condition();
    const open = this.next();
    const inner = this.or();
    const close = this.expect(')');
    const [start, end] = this.spans.get(inner)!;
    const brackets = { open: this.src.slice(open.start, start), close: this.src.slice(end, close.end) };
    const group: Group =
      inner.kind === 'group' && this.bare.has(inner)
        ? { ...inner, ...brackets }
        : { kind: 'group', combinator: '&&', children: [inner], ...brackets };
    this.spans.set(group, [open.start, close.end]);
    return group;
  };

  private condition(): Condition {
    const start = this.peek().start;
    const c = this.conditionBody();
    const end = this.tokens[this.pos - 1].end;
    const node: Condition = { kind: 'condition', ...c, text: this.src.slice(start, end) };
    this.spans.set(node, [start, end]);
    return node;
  }

  /** After `!`: !has(a), !a, !(a in [..]), !('x' in a). */
  private negated(): Body {
    this.expect('!');
    if (this.is('has')) return make(this.call('has'), 'isMissing');
    if (!this.is('(')) return make(this.attribute(), 'isFalse');
    this.next();
    const inner =
      this.peek().kind === 'string' ? make('', 'notContains', [this.literal()]) : make(this.attribute(), 'notIn');
    this.expect('in');
    if (inner.operator === 'notContains') inner.attribute = this.attribute();
    else inner.values = this.list();
    this.expect(')');
    return inner;
  }

  private conditionBody(): Body {
    if (this.is('!')) return this.negated();
    if (this.is('has') && this.is('(', 1)) return make(this.call('has'), 'isKnown');
    if (this.is('size') && this.is('(', 1)) {
      const attribute = this.call('size');
      const op = this.next().value;
      const zero = this.next();
      if (zero.kind !== 'number' || zero.value !== '0' || (op !== '==' && op !== '>'))
        throw new Unsupported('the builder reads size() only as == 0 or > 0');
      return make(attribute, op === '==' ? 'isEmpty' : 'isNotEmpty');
    }
    if (this.peek().kind === 'string') {
      const value = this.literal();
      this.expect('in');
      return make(this.attribute(), 'contains', [value]);
    }
    const attribute = this.attribute();
    if (this.is('.') && this.is('exists', 1)) {
      this.next();
      this.next();
      this.expect('(');
      const variable = this.ident();
      this.expect(',');
      if (this.ident() !== variable) throw new Unsupported('the builder reads exists() only as exists(v, v in [...])');
      this.expect('in');
      const values = this.list();
      this.expect(')');
      return { ...make(attribute, 'containsAny', values), variable };
    }
    if (this.is('in')) {
      this.next();
      return make(attribute, 'in', this.list());
    }
    if (COMPARISONS.has(this.peek().value) && this.peek().kind === 'punct') {
      const op = this.next().value as Operator;
      return make(attribute, op, [this.literal()]);
    }
    return make(attribute, 'isTrue');
  }

  /** `name(account.x)`: the attribute. */
  private call(name: string): string {
    this.expect(name);
    this.expect('(');
    const attribute = this.attribute();
    this.expect(')');
    return attribute;
  }

  private attribute(): string {
    if (!this.is('account'))
      throw new Unsupported(`the builder does not read "${this.peek().value || 'the end'}" there`);
    this.next();
    this.expect('.');
    return this.ident();
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    if (t.kind === 'number') return { kind: 'number', text: t.value };
    if (t.kind === 'punct' && t.value === '-' && this.peek().kind === 'number' && this.peek().start === t.end)
      return { kind: 'number', text: `-${this.next().value}` };
    if (t.kind === 'ident' && (t.value === 'true' || t.value === 'false'))
      return { kind: 'bool', value: t.value === 'true' };
    throw new Unsupported(`the builder reads only literal values, not "${t.value || 'the end'}"`);
  }

  private list(): Literal[] {
    this.expect('[');
    const values: Literal[] = [];
    while (!this.is(']')) {
      if (values.length) this.expect(',');
      values.push(this.literal());
    }
    this.next();
    return values;
  }
}

/** The builder's tree of a text, or why the builder cannot show it. */
export function parseCondition(text: string): { tree: Group } | { unsupported: string } {
  if (!text.trim() || text.trim() === 'true') return { tree: { kind: 'group', combinator: '&&', children: [], text } };
  try {
    return { tree: new Parser(text).parse() };
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message };
    throw e;
  }
}
