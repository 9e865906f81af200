import { Field, Float, ID, Int } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { type FieldProblem, ValidationError } from './errors';

/**
 * Input fields declared once: the GraphQL input field (always nullable, so one
 * input type serves create and update) and the rule the service checks. The
 * same rules validate GraphQL arguments, the demo YAML and imported files, so
 * a problem is reported the same way wherever it comes from.
 */
export type Rule =
  | { kind: 'text'; required?: boolean; max?: number; pattern?: RegExp; patternHint?: string }
  | { kind: 'textList'; maxItems?: number; maxLength?: number }
  | { kind: 'int' | 'float'; required?: boolean; min?: number; max?: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[]; required?: boolean; list?: boolean }
  | { kind: 'id'; required?: boolean }
  | { kind: 'items'; of: () => Function; maxItems?: number }
  | { kind: 'item'; of: () => Function; check?: ItemCheck }
  | { kind: 'json' };

/** Rules across the fields of one structured item: [field, message] for each problem. */
export type ItemCheck = (value: Record<string, unknown>) => [string, string][];

const RULES = new Map<Function, Map<string, Rule>>();

export function rulesOf(cls: Function): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  // Walk the prototype chain so inputs can share fields through inheritance.
  for (let c: Function | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const [k, r] of RULES.get(c) ?? []) if (!rules.has(k)) rules.set(k, r);
  }
  return rules;
}

/**
 * A validation-only shape derived from an input class: some fields dropped,
 * some added (no GraphQL type is made). Used for file formats that nest what
 * the API gives by id.
 */
export function deriveShape(from: Function, drop: string[], add: Record<string, Rule> = {}): Function {
  const shape = class {};
  const rules = new Map([...rulesOf(from)].filter(([k]) => !drop.includes(k)));
  for (const [k, r] of Object.entries(add)) rules.set(k, r);
  RULES.set(shape, rules);
  return shape;
}

function register(rule: Rule, gqlType: () => object, description?: string): PropertyDecorator {
  return (target, key) => {
    const cls = target.constructor;
    if (!RULES.has(cls)) RULES.set(cls, new Map());
    RULES.get(cls)!.set(String(key), rule);
    Field(gqlType, { nullable: true, description })(target, key);
  };
}

const DEFAULT_TEXT_MAX = 10_000;

export const In = {
  text: (o: { required?: boolean; max?: number; pattern?: RegExp; patternHint?: string; description?: string } = {}) =>
    register({ kind: 'text', ...o }, () => String, o.description),
  textList: (o: { maxItems?: number; maxLength?: number; description?: string } = {}) =>
    register({ kind: 'textList', ...o }, () => [String], o.description),
  int: (o: { required?: boolean; min?: number; max?: number; description?: string } = {}) =>
    register({ kind: 'int', ...o }, () => Int, o.description),
  float: (o: { required?: boolean; min?: number; max?: number; description?: string } = {}) =>
    register({ kind: 'float', ...o }, () => Float, o.description),
  bool: (o: { description?: string } = {}) => register({ kind: 'bool' }, () => Boolean, o.description),
  enum: (type: object, values: readonly string[], o: { required?: boolean; description?: string } = {}) =>
    register({ kind: 'enum', values, ...o }, () => type, o.description),
  enumList: (type: object, values: readonly string[], o: { description?: string } = {}) =>
    register({ kind: 'enum', values, list: true }, () => [type], o.description),
  id: (o: { required?: boolean; description?: string } = {}) => register({ kind: 'id', ...o }, () => ID, o.description),
  items: (of: () => Function, o: { maxItems?: number; description?: string } = {}) =>
    register({ kind: 'items', of, ...o }, () => [of()], o.description),
  /** One structured object, checked field by field, then across fields by `check`. */
  item: (of: () => Function, o: { check?: ItemCheck; description?: string } = {}) =>
    register({ kind: 'item', of, check: o.check }, of, o.description),
  json: (o: { description?: string } = {}) => register({ kind: 'json' }, () => GraphQLJSON, o.description),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export type Mode = 'create' | 'update';

/** Checks `value` against the rules of `cls`; returns every problem found, with its path. */
export function checkInput(cls: Function, value: unknown, mode: Mode, path = 'input'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path, message: 'must be an object' }];
  }
  const rules = rulesOf(cls);
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!rules.has(key))
      problems.push({ path: `${path}.${key}`, message: `unknown field; allowed: ${[...rules.keys()].join(', ')}` });
  }
  for (const [key, rule] of rules) {
    const p = `${path}.${key}`;
    const v = obj[key];
    const required = 'required' in rule && rule.required;
    if (v === undefined || v === null) {
      if (required && (mode === 'create' || v === null)) problems.push({ path: p, message: 'is required' });
      continue;
    }
    const problem = checkValue(rule, v, mode, p, problems);
    if (problem) problems.push({ path: p, message: problem });
  }
  return problems;
}

function checkValue(rule: Rule, v: unknown, mode: Mode, p: string, problems: FieldProblem[]): string | undefined {
  switch (rule.kind) {
    case 'text': {
      if (typeof v !== 'string') return 'must be a string';
      if (rule.required && v.trim() === '') return 'must not be empty';
      const max = rule.max ?? DEFAULT_TEXT_MAX;
      if (v.length > max) return `must be at most ${max} characters (got ${v.length})`;
      if (rule.pattern && !rule.pattern.test(v)) return rule.patternHint ?? `must match ${rule.pattern}`;
      return;
    }
    case 'textList': {
      if (!Array.isArray(v)) return 'must be a list of strings';
      if (rule.maxItems !== undefined && v.length > rule.maxItems)
        return `must have at most ${rule.maxItems} items (got ${v.length})`;
      const bad = v.findIndex((s) => typeof s !== 'string' || s.length > (rule.maxLength ?? 2000));
      if (bad >= 0) return `item ${bad} must be a string of at most ${rule.maxLength ?? 2000} characters`;
      return;
    }
    case 'int':
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (rule.kind === 'int' && !Number.isInteger(v)) return 'must be a whole number';
      if (rule.min !== undefined && v < rule.min) return `must be at least ${rule.min} (got ${v})`;
      if (rule.max !== undefined && v > rule.max) return `must be at most ${rule.max} (got ${v})`;
      return;
    }
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'enum': {
      const bad = (x: unknown) => !rule.values.includes(x as string);
      if (!rule.list) return bad(v) ? `must be one of ${rule.values.join(', ')} (got ${JSON.stringify(v)})` : undefined;
      if (!Array.isArray(v)) return `must be a list of ${rule.values.join(', ')}`;
      const i = v.findIndex(bad);
      return i >= 0 ? `item ${i} must be one of ${rule.values.join(', ')} (got ${JSON.stringify(v[i])})` : undefined;
    }
    case 'id':
      return isUuid(v) ? undefined : `must be an id (a UUID), got ${JSON.stringify(v)}`;
    case 'items': {
      if (!Array.isArray(v)) return 'must be a list';
      if (rule.maxItems !== undefined && v.length > rule.maxItems)
        return `must have at most ${rule.maxItems} items (got ${v.length})`;
      v.forEach((item, i) => problems.push(...checkInput(rule.of(), item, 'create', `${p}[${i}]`)));
      return;
    }
    case 'item': {
      const before = problems.length;
      problems.push(...checkInput(rule.of(), v, 'create', p));
      if (problems.length === before && rule.check)
        for (const [field, message] of rule.check(v as Record<string, unknown>))
          problems.push({ path: `${p}.${field}`, message });
      return;
    }
    case 'json':
      return;
  }
}

export function validateInput(cls: Function, value: unknown, mode: Mode, path = 'input'): void {
  const problems = checkInput(cls, value, mode, path);
  if (problems.length) throw new ValidationError(problems);
}

/** Plain copy of a type-graphql argument (class instances for nested inputs) without undefined keys. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {}));
}
