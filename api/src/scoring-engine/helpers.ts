import {
  buildMap,
  CelError,
  codePoints,
  compare,
  equal,
  INT,
  kindOf,
  lowerAscii,
  mapKey,
  NO_VALUE as NV,
  toBool,
  toDouble,
  toInt,
  toStr,
  upperAscii,
  type Value,
} from './runtime';

/** The helpers generated code calls (H.*). Each propagates NO_VALUE; CEL errors are thrown CelErrors. */
type I = number | bigint;
type Pred = (v: Value) => Value;

const fail = (message: string): never => {
  throw new CelError(message);
};

/** Lists iterate their items, maps their keys. */
function items(range: Value): Value[] {
  if (Array.isArray(range)) return range;
  if (range instanceof Map) return [...range.keys()] as Value[];
  return fail(`cannot iterate over ${kindOf(range)}`);
}

/** Runs p on one item: its value, or the CelError it threw (other exceptions propagate). */
function attempt(p: () => Value): Value | CelError {
  try {
    return p();
  } catch (e) {
    if (e instanceof CelError) return e;
    throw e;
  }
}

/** An || or && fold that nothing decided: unknown (a missing attribute) first, then the first error. */
function undecided(values: (Value | CelError)[]): Value {
  if (values.includes(NV)) return NV;
  const error = values.find((v) => v instanceof CelError);
  if (error) throw error;
  return fail('no matching overload: a logical operator takes booleans');
}

function fold(range: Value, p: Pred, decides: boolean): Value {
  if (range === NV) return NV;
  const results: (Value | CelError)[] = [];
  for (const item of items(range)) {
    const r = attempt(() => p(item));
    if (r === decides) return decides;
    if (r !== !decides) results.push(r);
  }
  return results.length ? undecided(results) : !decides;
}

const nv2 = (x: Value, y: Value) => x === NV || y === NV;

export const HELPERS = {
  own: (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined),
  stringList: (v: unknown, allowed: Set<string> | null, max: number): boolean => {
    if (!Array.isArray(v) || v.length > max) return false;
    for (const x of v) if (typeof x !== 'string' || (allowed && !allowed.has(x))) return false;
    return true;
  },
  attempt,
  undecided,
  /** An evaluation error's message for a check's explanation (never a stack). */
  message: (e: unknown): string =>
    e instanceof CelError
      ? e.message
      : `evaluation failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
  field: (o: Value, f: string): Value => {
    if (o === NV) return NV;
    if (!(o instanceof Map)) return fail(`no field "${f}" on ${kindOf(o)}`);
    return o.has(f) ? (o.get(f) as Value) : fail(`no such key: ${f}`);
  },
  has: (o: Value, f: string): Value => (o === NV ? NV : o instanceof Map ? o.has(f) : fail(`has() on ${kindOf(o)}`)),
  index: (o: Value, i: Value): Value => {
    if (o === NV || i === NV) return NV;
    if (Array.isArray(o)) {
      if (typeof i !== 'number' || !Number.isInteger(i)) return fail(`list index must be an int, got ${kindOf(i)}`);
      return i >= 0 && i < o.length ? o[i] : fail(`index ${i} out of range for a list of ${o.length}`);
    }
    if (o instanceof Map) {
      const k = mapKey(i);
      return o.has(k) ? (o.get(k) as Value) : fail(`no such key: ${String(i)}`);
    }
    return fail(`cannot index ${kindOf(o)}`);
  },
  eq: (x: Value, y: Value): Value => (nv2(x, y) ? NV : equal(x, y)),
  ne: (x: Value, y: Value): Value => (nv2(x, y) ? NV : !equal(x, y)),
  lt: (x: Value, y: Value): Value => (nv2(x, y) ? NV : compare(x, y) < 0),
  le: (x: Value, y: Value): Value => (nv2(x, y) ? NV : compare(x, y) <= 0),
  gt: (x: Value, y: Value): Value => (nv2(x, y) ? NV : compare(x, y) > 0),
  ge: (x: Value, y: Value): Value => (nv2(x, y) ? NV : compare(x, y) >= 0),
  iadd: (x: Value, y: Value): Value => (nv2(x, y) ? NV : INT.add(x as I, y as I)),
  isub: (x: Value, y: Value): Value => (nv2(x, y) ? NV : INT.sub(x as I, y as I)),
  imul: (x: Value, y: Value): Value => (nv2(x, y) ? NV : INT.mul(x as I, y as I)),
  idiv: (x: Value, y: Value): Value => (nv2(x, y) ? NV : INT.div(x as I, y as I)),
  imod: (x: Value, y: Value): Value => (nv2(x, y) ? NV : INT.mod(x as I, y as I)),
  ineg: (x: Value): Value => (x === NV ? NV : INT.neg(x as I)),
  dadd: (x: Value, y: Value): Value => (nv2(x, y) ? NV : (x as number) + (y as number)),
  dsub: (x: Value, y: Value): Value => (nv2(x, y) ? NV : (x as number) - (y as number)),
  dmul: (x: Value, y: Value): Value => (nv2(x, y) ? NV : (x as number) * (y as number)),
  ddiv: (x: Value, y: Value): Value => (nv2(x, y) ? NV : (x as number) / (y as number)),
  dneg: (x: Value): Value => (x === NV ? NV : -(x as number)),
  sadd: (x: Value, y: Value): Value => (nv2(x, y) ? NV : (x as string) + (y as string)),
  ladd: (x: Value, y: Value): Value => (nv2(x, y) ? NV : [...(x as Value[]), ...(y as Value[])]),
  inColl: (x: Value, c: Value): Value => {
    if (nv2(x, c)) return NV;
    if (Array.isArray(c)) return c.some((v) => equal(v, x));
    if (c instanceof Map) return c.has(mapKey(x));
    return fail(`"in" on ${kindOf(c)}`);
  },
  list: (xs: Value[]): Value => (xs.includes(NV) ? NV : xs),
  mapLit: (entries: Value[]): Value => (entries.includes(NV) ? NV : buildMap(entries)),
  size: (v: Value): Value => {
    if (v === NV) return NV;
    if (typeof v === 'string') return codePoints(v);
    if (Array.isArray(v)) return v.length;
    if (v instanceof Map) return v.size;
    return fail(`size() of ${kindOf(v)}`);
  },
  toInt: (v: Value): Value => (v === NV ? NV : toInt(v)),
  toDouble: (v: Value): Value => (v === NV ? NV : toDouble(v)),
  toStr: (v: Value): Value => (v === NV ? NV : toStr(v)),
  toBool: (v: Value): Value => (v === NV ? NV : toBool(v)),
  lowerAscii: (v: Value): Value =>
    typeof v === 'string' ? lowerAscii(v) : v === NV ? NV : fail('lowerAscii() takes a string'),
  upperAscii: (v: Value): Value =>
    typeof v === 'string' ? upperAscii(v) : v === NV ? NV : fail('upperAscii() takes a string'),
  matches: (v: Value, re: { test(s: string): boolean }): Value => (typeof v === 'string' ? re.test(v) : NV),
  contains: (v: Value, x: Value): Value => (typeof v === 'string' && typeof x === 'string' ? v.includes(x) : NV),
  startsWith: (v: Value, x: Value): Value => (typeof v === 'string' && typeof x === 'string' ? v.startsWith(x) : NV),
  endsWith: (v: Value, x: Value): Value => (typeof v === 'string' && typeof x === 'string' ? v.endsWith(x) : NV),
  exists: (range: Value, p: Pred): Value => fold(range, p, true),
  all: (range: Value, p: Pred): Value => fold(range, p, false),
  existsOne: (range: Value, p: Pred): Value => {
    if (range === NV) return NV;
    let n = 0;
    let unknown = false;
    for (const item of items(range)) {
      const r = p(item);
      if (r === true) n++;
      else if (r !== false) unknown = true;
    }
    return unknown ? NV : n === 1;
  },
  /** map(x, f) or map(x, p, f): transform (the items for which p holds). */
  map: (range: Value, a: Pred, b?: Pred): Value => {
    if (range === NV) return NV;
    const out: Value[] = [];
    for (const item of items(range)) {
      if (b) {
        const keep = a(item);
        if (keep === NV) return NV;
        if (keep !== true) continue;
      }
      const v = (b ?? a)(item);
      if (v === NV) return NV;
      out.push(v);
    }
    return out;
  },
  filter: (range: Value, p: Pred): Value => {
    if (range === NV) return NV;
    const out: Value[] = [];
    for (const item of items(range)) {
      const r = p(item);
      if (r === NV) return NV;
      if (r === true) out.push(item);
    }
    return out;
  },
};
