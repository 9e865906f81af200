import type { Value as PbValue } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import { ExpressionChecker, type loadCel } from '../../api/src/scoring-engine/cel';
import { CelError, int64, mapKey, NO_VALUE, type Value } from '../../api/src/scoring-engine/runtime';
import type { Case } from './conformance';

/** Running one case through the product's compiled engine and through cel-js's interpreter. */
export type Outcome = 'pass' | 'refused' | 'wrong';

type Celjs = Awaited<ReturnType<typeof loadCel>>;

// ---- the product's representation (runtime.ts) ----

function toProduct(v: PbValue): Value {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue':
      return null;
    case 'boolValue':
    case 'stringValue':
    case 'doubleValue':
      return k.value;
    case 'int64Value':
      return int64(k.value);
    case 'listValue':
      return k.value.values.map(toProduct);
    case 'mapValue':
      return new Map(k.value.entries.map((e) => [mapKey(toProduct(e.key!)), toProduct(e.value!)]));
    default:
      throw new Error(`unsupported value ${k.case}`);
  }
}

function sameProduct(actual: Value, expected: PbValue, staticType?: string): boolean {
  const k = expected.kind;
  switch (k.case) {
    case 'int64Value':
      // An int and a double look alike at run time: the checker's type tells them apart.
      return (
        staticType !== 'double' &&
        (typeof actual === 'number' || typeof actual === 'bigint') &&
        BigInt(actual) === k.value
      );
    case 'doubleValue':
      return (
        staticType !== 'int' &&
        typeof actual === 'number' &&
        (actual === k.value || (Number.isNaN(actual) && Number.isNaN(k.value)))
      );
    case 'listValue':
      return (
        Array.isArray(actual) &&
        actual.length === k.value.values.length &&
        k.value.values.every((e, i) => sameProduct(actual[i], e, elem(staticType)))
      );
    case 'mapValue':
      return (
        actual instanceof Map &&
        actual.size === k.value.entries.length &&
        k.value.entries.every((e) => {
          const key = mapKey(toProduct(e.key!));
          return actual.has(key) && sameProduct(actual.get(key) as Value, e.value!);
        })
      );
    default:
      return actual === toProduct(expected);
  }
}

const elem = (t?: string) => /^list<(.*)>$/.exec(t ?? '')?.[1];

export function runProduct(c: Case): Outcome {
  const checker = new ExpressionChecker([], c.types);
  const { result } = checker.compile(c.expr, 'any');
  if (!result) return 'refused';
  const vars: Record<string, Value> = Object.fromEntries(Object.entries(c.bindings).map(([n, v]) => [n, toProduct(v)]));
  let value: Value;
  try {
    value = result.fn({}, vars);
  } catch (e) {
    if (!(e instanceof CelError)) throw e;
    return 'error' in c.expected ? 'pass' : 'wrong';
  }
  if ('error' in c.expected) return 'wrong';
  return value !== NO_VALUE && sameProduct(value, c.expected.value, result.type) ? 'pass' : 'wrong';
}

// ---- cel-js's representation (ints are BigInt, doubles numbers) ----

function toCelJs(v: PbValue): unknown {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue':
      return null;
    case 'listValue':
      return k.value.values.map(toCelJs);
    case 'mapValue':
      return new Map(k.value.entries.map((e) => [toCelJs(e.key!), toCelJs(e.value!)]));
    default:
      return k.value;
  }
}

function sameCelJs(actual: unknown, expected: PbValue): boolean {
  const k = expected.kind;
  switch (k.case) {
    case 'int64Value':
      return actual === k.value;
    case 'doubleValue':
      return typeof actual === 'number' && (actual === k.value || (Number.isNaN(actual) && Number.isNaN(k.value)));
    case 'listValue':
      return (
        Array.isArray(actual) &&
        actual.length === k.value.values.length &&
        k.value.values.every((e, i) => sameCelJs(actual[i], e))
      );
    case 'mapValue': {
      const m = actual instanceof Map ? actual : new Map(Object.entries(actual ?? {}));
      return (
        m.size === k.value.entries.length && k.value.entries.every((e) => sameCelJs(m.get(toCelJs(e.key!)), e.value!))
      );
    }
    default:
      return actual === toCelJs(expected);
  }
}

export function runCelJs(cel: Celjs, c: Case): Outcome {
  const env = new cel.Environment({ homogeneousAggregateLiterals: false });
  for (const [name, type] of Object.entries(c.types)) env.registerVariable(name, type);
  let evaluate: ReturnType<typeof env.parse>;
  try {
    evaluate = env.parse(c.expr);
    if (!evaluate.check().valid) return 'refused';
  } catch {
    return 'refused';
  }
  let value: unknown;
  try {
    value = evaluate(Object.fromEntries(Object.entries(c.bindings).map(([n, v]) => [n, toCelJs(v)])));
  } catch {
    return 'error' in c.expected ? 'pass' : 'wrong';
  }
  if ('error' in c.expected) return 'wrong';
  return sameCelJs(value, c.expected.value) ? 'pass' : 'wrong';
}
