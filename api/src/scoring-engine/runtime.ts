import { createRequire } from 'node:module';

/**
 * The values and helpers compiled expressions run on (see compile.ts).
 *
 * Representation: bool, string and null are themselves; a double is a JS
 * number; an int is a JS number when it is a safe integer and a BigInt
 * otherwise (so every int has exactly one representation and `===` is CEL
 * equality on ints); a list is an array; a map is a JS Map (own entries only,
 * keys normalised like ints). NO_VALUE is an attribute the account lacks.
 * A CEL error (overflow, division by zero, a bad conversion, a missing key)
 * is thrown as a CelError; `&&`, `||` and the exists/all macros absorb it
 * where CEL does.
 */
export const NO_VALUE: unique symbol = Symbol('no value');
export type Value = number | bigint | string | boolean | null | Value[] | Map<unknown, Value> | typeof NO_VALUE;

export class CelError extends Error {}

const fail = (message: string): never => {
  throw new CelError(message);
};

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/** A BigInt result as an int: an error outside int64, a number when safe. */
export function int64(v: bigint): number | bigint {
  if (v < MIN || v > MAX) fail('integer overflow');
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

const isInt = (x: unknown): x is number | bigint =>
  typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x));
const big = (x: number | bigint) => (typeof x === 'bigint' ? x : BigInt(x));

/** Int arithmetic: exact on safe numbers, else BigInt; overflow and a zero divisor are errors. */
export const INT = {
  add: (x: number | bigint, y: number | bigint): number | bigint => {
    if (typeof x === 'number' && typeof y === 'number') {
      const r = x + y;
      if (Number.isSafeInteger(r)) return r;
    }
    return int64(big(x) + big(y));
  },
  sub: (x: number | bigint, y: number | bigint): number | bigint => {
    if (typeof x === 'number' && typeof y === 'number') {
      const r = x - y;
      if (Number.isSafeInteger(r)) return r;
    }
    return int64(big(x) - big(y));
  },
  mul: (x: number | bigint, y: number | bigint): number | bigint => {
    if (typeof x === 'number' && typeof y === 'number') {
      const r = x * y;
      // A product that rounds stays outside the safe range, so a safe result is exact.
      if (Number.isSafeInteger(r)) return r + 0;
    }
    return int64(big(x) * big(y));
  },
  div: (x: number | bigint, y: number | bigint): number | bigint => {
    if (y === 0) fail('division by zero');
    // x - x % y is an exact multiple of y, so the quotient is exact; + 0 turns -0 into 0.
    if (typeof x === 'number' && typeof y === 'number') return (x - (x % y)) / y + 0;
    return int64(big(x) / big(y));
  },
  mod: (x: number | bigint, y: number | bigint): number | bigint => {
    if (y === 0) fail('modulus by zero');
    if (typeof x === 'number' && typeof y === 'number') return (x % y) + 0;
    return int64(big(x) % big(y));
  },
  neg: (x: number | bigint): number | bigint => (typeof x === 'number' ? 0 - x : int64(-x)),
};

// ---- equality and ordering ----

export function equal(x: Value, y: Value): boolean {
  if (x === y) return true;
  const tx = typeof x;
  const ty = typeof y;
  // An int held as BigInt against a double: compared as doubles, as CEL does.
  if (tx === 'bigint' && ty === 'number') return Number(x) === y;
  if (tx === 'number' && ty === 'bigint') return x === Number(y);
  if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((v, i) => equal(v, y[i]));
  if (x instanceof Map) {
    if (!(y instanceof Map) || x.size !== y.size) return false;
    for (const [k, v] of x) if (!y.has(k) || !equal(v, y.get(k) as Value)) return false;
    return true;
  }
  return false;
}

/** Strings in code point order (as CEL; JS `<` compares UTF-16 code units). */
function compareStrings(x: string, y: string): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const a = x.charCodeAt(i);
    const b = y.charCodeAt(i);
    if (a === b) continue;
    // Surrogates (U+D800-DFFF) encode code points above U+FFFF: they sort after the rest of the BMP.
    const ka = a >= 0xd800 && a <= 0xdfff ? a + 0x2000 : a >= 0xe000 ? a - 0x800 : a;
    const kb = b >= 0xd800 && b <= 0xdfff ? b + 0x2000 : b >= 0xe000 ? b - 0x800 : b;
    return ka - kb;
  }
  return x.length - y.length;
}

/** -1, 0, 1, or NaN for unordered doubles; an error for values CEL does not order. */
export function compare(x: Value, y: Value): number {
  const tx = typeof x;
  const ty = typeof y;
  if ((tx === 'number' || tx === 'bigint') && (ty === 'number' || ty === 'bigint')) {
    // An int against a double compares as doubles (CEL: 2^63-1 is not below 2^63 as a double).
    const [a, b] = tx === ty ? [x as number, y as number] : [Number(x), Number(y)];
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (tx === 'string' && ty === 'string') return Math.sign(compareStrings(x as string, y as string));
  if (tx === 'boolean' && ty === 'boolean') return Number(x) - Number(y);
  return fail(`no ordering between ${kindOf(x)} and ${kindOf(y)}`);
}

export function kindOf(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'map';
  if (typeof v === 'bigint') return 'int';
  return typeof v;
}

// ---- strings ----

/** Length in code points (CEL), not UTF-16 code units. */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

export const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
export const upperAscii = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

interface Re2 {
  test(s: string): boolean;
}
let RE2: (new (pattern: string, flags: string) => Re2) | undefined;

const patterns = new Map<string, Re2>();

/**
 * An RE2 pattern (linear-time matching); re2-wasm instantiates synchronously
 * on first use. Compiled patterns live in WebAssembly memory that re2-wasm
 * never frees, so they are shared by pattern (checking as the console types
 * recompiles the same ones); past 1,000 distinct patterns new ones are not kept.
 */
export function re2(pattern: string): Re2 {
  const known = patterns.get(pattern);
  if (known) return known;
  RE2 ??= (createRequire(__filename)('re2-wasm') as { RE2: typeof RE2 }).RE2;
  const re = new RE2!(pattern, 'u');
  if (patterns.size < 1_000) patterns.set(pattern, re);
  return re;
}

// ---- conversions ----

export function toInt(v: Value): number | bigint {
  // A safe integral number converts to itself whether it is an int or a double; beyond, it is a double.
  if (typeof v === 'bigint' || Number.isSafeInteger(v)) return v as number | bigint;
  if (typeof v === 'number') {
    // As cel-go: doubles strictly inside (-2^63, 2^63) truncate; NaN, infinities and the rest are errors.
    if (!(v > -9223372036854775808 && v < 9223372036854775808)) fail('double out of int range');
    return int64(BigInt(Math.trunc(v)));
  }
  if (typeof v === 'string') {
    if (!/^[+-]?\d+$/.test(v)) fail(`cannot convert "${v}" to int`);
    return int64(BigInt(v));
  }
  return fail(`no conversion from ${kindOf(v)} to int`);
}

export function toDouble(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return Number(v);
    const special = /^([+-]?)(inf|infinity)$/i.exec(v);
    if (special) return special[1] === '-' ? -Infinity : Infinity;
    if (/^nan$/i.test(v)) return NaN;
    return fail(`cannot convert "${v}" to double`);
  }
  return fail(`no conversion from ${kindOf(v)} to double`);
}

/** A double as Go's strconv.FormatFloat(v, 'g', -1, 64), which CEL's string() uses. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 21) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** Integral doubles format as ints do (Go's %g), so an int and a double need no static type here. */
export function toStr(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatDouble(v);
  if (typeof v === 'boolean') return String(v);
  return fail(`no conversion from ${kindOf(v)} to string`);
}

export function toBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (['1', 't', 'true', 'TRUE', 'True'].includes(v)) return true;
    if (['0', 'f', 'false', 'FALSE', 'False'].includes(v)) return false;
  }
  return fail(`cannot convert ${typeof v === 'string' ? `"${v}"` : kindOf(v)} to bool`);
}

// ---- maps ----

/** A map key as stored: ints and integral doubles share one key, as CEL's numeric key equality. */
export function mapKey(k: Value): unknown {
  if (typeof k === 'string' || typeof k === 'boolean' || isInt(k)) return k;
  if (typeof k === 'number') return k; // a non-integral double matches no int key
  return fail(`unsupported map key type ${kindOf(k)}`);
}

export function buildMap(entries: Value[]): Map<unknown, Value> {
  const m = new Map<unknown, Value>();
  for (let i = 0; i < entries.length; i += 2) {
    const k = mapKey(entries[i]);
    if (m.has(k)) fail(`repeated map key ${String(k)}`);
    m.set(k, entries[i + 1]);
  }
  return m;
}
