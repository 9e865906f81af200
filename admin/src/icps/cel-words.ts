import { type CmpOp, type Node, parseCel, Unsupported } from './cel-parse';
import { attributeWords } from '../attribute-label';

/**
 * CEL conditions in the words a sales leader would write ("annual revenue
 * ≥ $1B", "ML maturity is growing or dedicated"), from the attribute
 * catalogue's names and units. Pure. What it cannot say exactly it returns
 * as the CEL text (`words: false`): a sentence is never a guess.
 */
export interface AttributeInfo {
  name: string;
  type?: 'BOOL' | 'INT' | 'NUMBER' | 'STRING' | 'STRING_LIST';
  unit?: string | null;
  /** A label for people, when the catalogue has one; else one is made from the name. */
  label?: string | null;
}

/** One condition of an expression: in words, or as its CEL text when it cannot be said exactly. */
export interface Phrase {
  text: string;
  words: boolean;
  /** The CEL it says, as written. */
  cel: string;
}

/** Digits grouped by thousands, from the shortest text that reads back as `v`; undefined when that has an exponent. */
function grouped(v: number): string | undefined {
  const s = String(Math.abs(v));
  if (/e/i.test(s)) return undefined;
  const [int, frac] = s.split('.');
  const out = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
  return v < 0 ? `-${out}` : out;
}

const SCALES: [number, string][] = [
  [12, 'T'],
  [9, 'B'],
  [6, 'M'],
  [3, 'K'],
];

/** $1B, $2.5M, $6K; exact or not at all (then $1,234,567). */
function money(v: number): string | undefined {
  for (const [exponent, suffix] of SCALES) {
    const m = Math.abs(v) / 10 ** exponent;
    if (m < 1) continue;
    // "$2.55M" is said only when the decimal 2.55e6 is the very number the expression holds.
    const short = String(Math.round(m * 100) / 100);
    if (Number(`${short}e${exponent}`) === Math.abs(v)) return `${v < 0 ? '-' : ''}$${grouped(Number(short))}${suffix}`;
  }
  const g = grouped(v);
  return g && (g.startsWith('-') ? `-$${g.slice(1)}` : `$${g}`);
}

/** A fraction as a percentage, by moving the decimal point of its text (0.3 → 30%, never 30.000000000000004%). */
function percent(v: number): string | undefined {
  const s = String(Math.abs(v));
  if (/e/i.test(s)) return undefined;
  const [int, frac = ''] = s.split('.');
  const f = frac.padEnd(2, '0');
  const whole = (int + f.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = f.slice(2);
  return `${v < 0 ? '-' : ''}${whole}${rest ? `.${rest}` : ''}%`;
}

/** A number as the catalogue's unit says it is written, exactly. */
function quantity(v: number, attr: AttributeInfo): string | undefined {
  const unit = (attr.unit ?? '').toLowerCase();
  if (/\busd\b|\$/.test(unit) || /Usd$/.test(attr.name)) return money(v);
  if (unit === 'fraction') return percent(v);
  return grouped(v);
}

const SYMBOL: Record<CmpOp, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const FLIP: Record<CmpOp, CmpOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** "a", "a or b", "a, b or c". */
const either = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`);

class Speaker {
  private readonly byName: Map<string, AttributeInfo>;
  constructor(catalogue: AttributeInfo[]) {
    this.byName = new Map(catalogue.map((a) => [a.name, a]));
  }

  attr(name: string): AttributeInfo {
    return this.byName.get(name) ?? { name };
  }

  /** A condition in words; throws Unsupported when it cannot be said exactly. */
  say(n: Node): string {
    switch (n.k) {
      case 'lit':
        if (typeof n.v === 'boolean') return n.v ? 'always' : 'never';
        break;
      case 'attr':
        return this.flag(n.name, true);
      case 'not':
        if (n.x.k === 'attr') return this.flag(n.x.name, false);
        break;
      case 'or':
        // "a or b" is exact only when no part is itself a conjunction or disjunction.
        if (n.xs.every((x) => x.k !== 'and' && x.k !== 'or')) return either(n.xs.map((x) => this.say(x)));
        break;
      case 'cmp':
        return this.compare(n.op, n.l, n.r);
      case 'in':
        return this.member(n.l, n.r);
      case 'exists':
        return this.exists(n);
    }
    throw new Unsupported(n.k);
  }

  /** A yes/no attribute: "digital native", "not digital native". */
  private flag(name: string, value: boolean): string {
    const a = this.attr(name);
    if (a.type !== 'BOOL') throw new Unsupported('not a flag');
    return `${value ? '' : 'not '}${attributeWords(a)}`;
  }

  private compare(op: CmpOp, l: Node, r: Node): string {
    if (l.k !== 'attr' && r.k === 'attr') return this.compare(FLIP[op], r, l);
    if (l.k === 'size' && l.x.k === 'attr' && r.k === 'lit' && r.v === 0) {
      const label = attributeWords(this.attr(l.x.name));
      if (op === '==') return `no ${label}`;
      if (op === '>' || op === '!=') return `some ${label}`;
    }
    if (l.k !== 'attr' || r.k !== 'lit') throw new Unsupported('comparison');
    const a = this.attr(l.name);
    const label = attributeWords(a);
    if (typeof r.v === 'boolean' && (op === '==' || op === '!=')) return this.flag(l.name, (op === '==') === r.v);
    if (typeof r.v === 'string' && (op === '==' || op === '!='))
      return `${label} is ${op === '!=' ? 'not ' : ''}${r.v}`;
    if (typeof r.v === 'number') {
      const q = quantity(r.v, a);
      if (q !== undefined) return `${label} ${SYMBOL[op]} ${q}`;
    }
    throw new Unsupported('comparison');
  }

  /** `x in [..]` → "industry is SaaS or FinTech"; `'v' in list` → "signals include v". */
  private member(l: Node, r: Node): string {
    if (l.k === 'attr' && r.k === 'list' && r.items.length) {
      return `${attributeWords(this.attr(l.name))} is ${either(strings(r.items))}`;
    }
    if (l.k === 'lit' && typeof l.v === 'string' && r.k === 'attr') {
      return `${attributeWords(this.attr(r.name))} include ${l.v}`;
    }
    throw new Unsupported('in');
  }

  /** `list.exists(t, t in [a, b])` or `list.exists(t, t == a)` → "current tools include a or b". */
  private exists(n: Extract<Node, { k: 'exists' }>): string {
    if (n.list.k !== 'attr') throw new Unsupported('exists');
    const b = n.body;
    const isVar = (x: Node) => x.k === 'var' && x.name === n.v;
    let values: string[] | undefined;
    if (b.k === 'in' && isVar(b.l) && b.r.k === 'list' && b.r.items.length) values = strings(b.r.items);
    else if (b.k === 'cmp' && b.op === '==' && isVar(b.l) && b.r.k === 'lit') values = strings([b.r]);
    else if (b.k === 'cmp' && b.op === '==' && isVar(b.r) && b.l.k === 'lit') values = strings([b.l]);
    if (!values) throw new Unsupported('exists');
    return `${attributeWords(this.attr(n.list.name))} include ${either(values)}`;
  }
}

/** String literals as values; anything else cannot be listed in words. */
function strings(items: Node[]): string[] {
  return items.map((x) => {
    if (x.k !== 'lit' || typeof x.v !== 'string') throw new Unsupported('list item');
    return x.v;
  });
}

/** The top-level `&&` operands (through brackets), each a condition of its own. */
function conjuncts(n: Node): Node[] {
  return n.k === 'and' ? n.xs.flatMap(conjuncts) : [n];
}

/** `x >= a && x <= b` side by side: one range, "employees between 200 and 5,000". */
function range(a: Node, b: Node, speaker: Speaker): string | undefined {
  if (a.k !== 'cmp' || b.k !== 'cmp' || a.op !== '>=' || b.op !== '<=') return undefined;
  if (a.l.k !== 'attr' || b.l.k !== 'attr' || a.l.name !== b.l.name) return undefined;
  if (a.r.k !== 'lit' || b.r.k !== 'lit' || typeof a.r.v !== 'number' || typeof b.r.v !== 'number') return undefined;
  const attr = speaker.attr(a.l.name);
  const [lo, hi] = [quantity(a.r.v, attr), quantity(b.r.v, attr)];
  return lo && hi ? `${attributeWords(attr)} between ${lo} and ${hi}` : undefined;
}

/**
 * The source split at its top-level `&&`, when `&&` is the loosest operator there (no top-level `||` or `?`):
 * then each piece is exactly one operand, and a part the reader does not know leaves the others in words.
 */
function topLevelAnds(source: string): { start: number; end: number }[] | undefined {
  const cuts: { start: number; end: number }[] = [];
  let [depth, quote, from] = [0, '', 0];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth < 0) return undefined;
    else if (depth === 0 && (ch === '?' || source.startsWith('||', i))) return undefined;
    else if (depth === 0 && source.startsWith('&&', i)) {
      cuts.push({ start: from, end: i });
      from = i + 2;
      i++;
    }
  }
  cuts.push({ start: from, end: source.length });
  return cuts.length > 1 && depth === 0 && !quote ? cuts : undefined;
}

/** A condition (a tier's criteria, a rule, a disqualifier) as phrases, one per condition of its `&&` chain. */
export function conditionInWords(expression: string, catalogue: AttributeInfo[]): Phrase[] {
  const source = expression.trim();
  if (!source) return [];
  const speaker = new Speaker(catalogue);
  let parts: Node[];
  try {
    parts = conjuncts(parseCel(source));
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    const pieces = topLevelAnds(source);
    if (!pieces) return [{ text: source, words: false, cel: source }];
    return pieces.flatMap((p) => {
      const piece = source.slice(p.start, p.end);
      const trimmed = piece.trim();
      return conditionInWords(piece, catalogue).map((ph) =>
        // A piece that is itself unreadable is shown as written.
        ph.words ? ph : { ...ph, text: trimmed, cel: trimmed },
      );
    });
  }
  const phrases: Phrase[] = [];
  for (let i = 0; i < parts.length; i++) {
    const [part, next] = [parts[i], parts[i + 1]];
    const both = next && range(part, next, speaker);
    if (both) {
      phrases.push({ text: both, words: true, cel: source.slice(part.start, next.end) });
      i++;
      continue;
    }
    const cel = source.slice(part.start, part.end);
    try {
      phrases.push({ text: speaker.say(part), words: true, cel });
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      phrases.push({ text: cel, words: false, cel });
    }
  }
  return phrases;
}

/** A rule's points: "3 points", "the use case fit rating"; else the CEL. */
export function pointsInWords(expression: string, catalogue: AttributeInfo[]): Phrase {
  const source = expression.trim();
  try {
    const n = parseCel(source);
    if (n.k === 'lit' && typeof n.v === 'number') {
      const g = grouped(n.v);
      if (g !== undefined) return { text: `${g} point${n.v === 1 ? '' : 's'}`, words: true, cel: source };
    }
    if (n.k === 'attr') {
      const a = catalogue.find((c) => c.name === n.name) ?? { name: n.name };
      if (a.type === undefined || a.type === 'INT' || a.type === 'NUMBER')
        return { text: `the account's ${attributeWords(a)}`, words: true, cel: source };
    }
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  return { text: source, words: false, cel: source };
}
