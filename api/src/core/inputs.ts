import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { type FieldProblem, ValidationError } from './errors';
import { fieldDescription } from './fields';

/**
 * Input fields declared once: the GraphQL input field (non-null when required)
 * and the rule the service checks. The same rules validate GraphQL arguments,
 * the demo YAML and imported files, so a problem is reported the same way
 * wherever it comes from. A record type's field list is a plain class of such
 * fields; `entityInputs` makes its `Create<X>Input` and `Update<X>Input` from it.
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

/** How a field appears in GraphQL: its type and description. */
interface GraphQLSpec {
  type: () => object;
  description?: string;
}
const SPECS = new Map<Function, Map<string, GraphQLSpec>>();

/** Per-class entries merged along the prototype chain (field lists share fields through inheritance). */
function inherited<T>(store: Map<Function, Map<string, T>>, cls: Function): Map<string, T> {
  const out = new Map<string, T>();
  for (let c: Function | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const [k, v] of store.get(c) ?? []) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

export function rulesOf(cls: Function): Map<string, Rule> {
  return inherited(RULES, cls);
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

const isRequired = (rule: Rule) => 'required' in rule && !!rule.required;

function register(rule: Rule, gqlType: () => object, description?: string): PropertyDecorator {
  return (target, key) => {
    const cls = target.constructor;
    if (!RULES.has(cls)) RULES.set(cls, new Map());
    RULES.get(cls)!.set(String(key), rule);
    if (!SPECS.has(cls)) SPECS.set(cls, new Map());
    SPECS.get(cls)!.set(String(key), { type: gqlType, description });
    // For a nested input type (a labeled value, a provenance); field lists get their types from entityInputs.
    Field(gqlType, { nullable: !isRequired(rule), description })(target, key);
  };
}

const INPUTS = new Map<string, { create: Function; update: Function }>();

/**
 * The write inputs of one record type, made from its one field list:
 * `Create<Type>Input`, where a required field is non-null, and
 * `Update<Type>Input`, where every field is optional (absent: unchanged) and
 * the create-only fields (the service's `immutable`) do not exist, so a
 * client cannot even ask to change them. Made once per type.
 */
export function entityInputs(
  entity: Function,
  fields: Function,
  o: { label: string; createOnly?: readonly string[] },
): { create: Function; update: Function } {
  const type = entity.name;
  let made = INPUTS.get(type);
  if (made) return made;
  const specs = inherited(SPECS, fields);
  const rules = rulesOf(fields);
  const createOnly = o.createOnly ?? [];
  for (const f of createOnly)
    if (!specs.has(f)) throw new Error(`${type}: create-only field "${f}" is not in its input's fields`);
  const make = (name: string, description: string, field: (key: string) => boolean | null) => {
    const cls = class {};
    Object.defineProperty(cls, 'name', { value: name });
    for (const [key, spec] of specs) {
      const nullable = field(key);
      if (nullable === null) continue;
      // An input field says what the record's field of the same name says, unless it says more.
      const description = spec.description ?? fieldDescription(entity, key);
      Field(spec.type, { nullable, description })(cls.prototype, key);
    }
    InputType(name, { description })(cls);
    return cls;
  };
  made = {
    create: make(
      `Create${type}Input`,
      `The fields of a new ${o.label}; the non-null ones are required.`,
      (key) => !isRequired(rules.get(key)!),
    ),
    update: make(
      `Update${type}Input`,
      `The fields of a ${o.label} to change: a field left out keeps its value, null clears it (a required field cannot be cleared).` +
        (createOnly.length ? ` Set on creation only: ${createOnly.join(', ')}.` : ''),
      (key) => (createOnly.includes(key) ? null : true),
    ),
  };
  INPUTS.set(type, made);
  return made;
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
  enumList: (type: object, values: readonly string[], o: { required?: boolean; description?: string } = {}) =>
    register({ kind: 'enum', values, list: true, required: o.required }, () => [type], o.description),
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
