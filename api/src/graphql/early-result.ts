import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  getArgumentValues,
  getVariableValues,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  type GraphQLInputType,
  type VariableDefinitionNode,
  isInputObjectType,
  typeFromAST,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  type GraphQLLeafType,
  type GraphQLNonNull,
  GraphQLString,
} from 'graphql';

/**
 * A single-root query on a hot field (fitScores: 1,000 accounts in one call), answered without graphql-js's
 * execution: completing each account's fields one by one (arguments, resolver, completion, per field) cost more
 * than scoring them (bench/RESULTS.md, issue 18). When the operation has one root field among the given ones and
 * its selection is plain, the plugin resolves that field itself before execution (the variables and arguments
 * coerced by graphql-js's own functions), then writes the result through a writer compiled once per document
 * (compileSelection). Anything unusual goes back to graphql-js with what was already resolved, so side effects
 * (the quota taken, the accounts counted) happen once and the answer, errors included, is graphql-js's.
 */

/** What a compiled selection writes for one value: its JSON text as graphql-js completes it, or it throws Unusual. */
export type Writer = (value: unknown) => string;

/** A value the compiled writer does not handle (a null where the schema says non-null, a serializer refusing…). */
class Unusual extends Error {}
const unusual = (): never => {
  throw new Unusual();
};

/**
 * A result already written as JSON text, in the response's data: `stringifyResult` (Apollo's) puts the text in
 * place; anything else that serializes the response gets the value through toJSON. Code reading the data as
 * objects (a plugin's willSendResponse, a caller of `executeOperation`) sees this wrapper, not the value: none here does.
 */
export class WrittenJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * Apollo's `stringifyResult`: its own (JSON.stringify, then a line end), except that a response whose data is one
 * field written early gets that field's text as it is, with no result objects made and stringified again.
 */
export function stringifyResult(value: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  const data = value.data as Record<string, unknown> | null | undefined;
  if (value.errors === undefined && data) {
    let key: string | undefined;
    for (const k in data) {
      if (key !== undefined) return JSON.stringify(value) + '\n';
      key = k;
    }
    const written = key === undefined ? undefined : data[key];
    if (written instanceof WrittenJson) {
      const extensions = value.extensions === undefined ? '' : `,"extensions":${JSON.stringify(value.extensions)}`;
      return `{"data":{${JSON.stringify(key)}:${written.text}}${extensions}}\n`;
    }
  }
  return JSON.stringify(value) + '\n';
}

/**
 * The writer of `type` with `selectionSet`: the JSON text JSON.stringify would give of what graphql-js completes for
 * it; undefined when the selection is not plain: only fields without arguments, directives or resolvers of their
 * own (plain properties, type-graphql's simpleResolvers), `__typename`, each response key once, on object types
 * without isTypeOf; lists as arrays; the built-in scalars' common values written directly, other leaves through
 * their serialize.
 */
export function compileSelection(type: GraphQLOutputType, selectionSet?: SelectionSetNode): Writer | undefined {
  const required = isNonNullType(type);
  const write = nullable(required ? type.ofType : type, selectionSet);
  if (!write) return undefined;
  return required ? (v) => (v == null ? unusual() : write(v)) : (v) => (v == null ? 'null' : write(v));
}

/**
 * A serialized leaf as JSON.stringify writes it inside the response (a scalar may serialize to an object: then
 * JSON.stringify's own text); a function, symbol or bigint, which it would drop or refuse, goes back to graphql-js.
 */
function leafJson(s: unknown): string {
  switch (typeof s) {
    case 'string':
      return JSON.stringify(s);
    case 'number':
      return Number.isFinite(s) ? String(s) : 'null';
    case 'boolean':
      return s ? 'true' : 'false';
    case 'object': {
      // A toJSON of its own is called with the property's name by the response's JSON.stringify, not ''; a Date's
      // ignores it.
      const toJSON = (s as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function' && toJSON !== Date.prototype.toJSON) return unusual();
      const text = JSON.stringify(s);
      return text === undefined ? unusual() : text;
    }
    default:
      return unusual();
  }
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** A leaf's writer (the value not null): graphql-js's built-in scalars' common values written without serialize. */
function leafWriter(type: GraphQLLeafType): Writer {
  const serialized = (v: unknown) => {
    // graphql-js reports an Error in a value's place and awaits a promise; serialize would take either as a value.
    if (v instanceof Error || typeof (v as { then?: unknown }).then === 'function') return unusual();
    const s = type.serialize(v);
    // graphql-js refuses a serialized null or undefined (completeLeafValue): so does this writer, handing it back.
    return s == null ? unusual() : leafJson(s);
  };
  // What each built-in scalar's serialize returns unchanged; anything else is its serialize's to judge.
  if (type === GraphQLString || type === GraphQLID)
    return (v) => (typeof v === 'string' ? JSON.stringify(v) : serialized(v));
  if (type === GraphQLFloat) return (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : serialized(v));
  if (type === GraphQLInt)
    return (v) =>
      typeof v === 'number' && Number.isInteger(v) && v <= INT_MAX && v >= INT_MIN ? String(v) : serialized(v);
  if (type === GraphQLBoolean) return (v) => (v === true ? 'true' : v === false ? 'false' : serialized(v));
  return serialized;
}

function nullable(type: GraphQLOutputType, selectionSet?: SelectionSetNode): Writer | undefined {
  if (isListType(type)) {
    const item = compileSelection(type.ofType, selectionSet);
    if (!item) return undefined;
    return (v) => {
      if (!Array.isArray(v)) return unusual();
      const parts = new Array<string>(v.length);
      for (let i = 0; i < v.length; i++) parts[i] = item(v[i]);
      return '[' + parts.join(',') + ']';
    };
  }
  if (isLeafType(type)) return selectionSet ? undefined : leafWriter(type);
  if (!isObjectType(type) || !selectionSet || type.isTypeOf) return undefined;
  const fields = type.getFields();
  const keys: string[] = [];
  // Per field: how it is read and written, as code; writers[i] is the field's writer for a value not null.
  const steps: string[] = [];
  const writers: Writer[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.directives?.length || sel.arguments?.length) return undefined;
    const key = sel.alias?.value ?? sel.name.value;
    if (keys.includes(key)) return undefined;
    // `{"key":` for the first field, `,"key":` for the others.
    const prefix = JSON.stringify((keys.length ? ',' : '{') + JSON.stringify(key) + ':');
    const name = sel.name.value;
    const i = writers.length;
    if (name === '__typename') {
      writers.push(unusual);
      steps.push(`out += ${prefix} + ${JSON.stringify(JSON.stringify(type.name))};`);
    } else {
      const def = fields[name];
      if (!def || def.resolve || def.args.length) return undefined;
      const required = isNonNullType(def.type);
      const write = nullable(
        required ? (def.type as GraphQLNonNull<GraphQLOutputType>).ofType : def.type,
        sel.selectionSet,
      );
      if (!write) return undefined;
      writers.push(write);
      // graphql-js's default resolver would call a method: not a plain property.
      steps.push(
        `x = v[${JSON.stringify(name)}];`,
        `if (typeof x === 'function') return U();`,
        `out += ${prefix} + (x == null ? ${required ? 'U()' : "'null'"} : W[${i}](x));`,
      );
    }
    keys.push(key);
  }
  // Generated (names only as quoted literals) so that each property is read at its own site, as `v.name` would be:
  // a loop over the names reads them all at one site, which V8 cannot specialize.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated here from quoted names only
  const make = new Function(
    'W',
    'U',
    `return function write(v) {
  // graphql-js reports an Error in a value's place and awaits a promise: both are its to complete.
  if (typeof v !== 'object' || v instanceof Error || typeof v.then === 'function') return U();
  let out = '';
  let x;
  ${steps.join('\n  ')}
  return out + '}';
};`,
  ) as (w: Writer[], u: () => never) => Writer;
  return make(writers, unusual);
}

/** What a compiled coercion makes of one input value: graphql-js's coerced value, or it throws Unusual. */
type Coercer = (value: unknown) => unknown;
const coercers = new WeakMap<GraphQLInputType, Coercer | null>();

/**
 * The coercion of `type` equal to graphql-js's coerceInputValue on the values it accepts, or null when the type
 * is not plain (a default value, a oneOf input); anything it would refuse or treat specially (a non-list value
 * for a list, an unknown field) throws Unusual, and graphql-js's own coercion then reports it. It makes the
 * same plain objects (same fields, same order) in code generated per type: graphql-js's loop over a type's fields
 * reads and sets every field at one site, which V8 cannot specialize.
 */
export function compileInput(type: GraphQLInputType): Coercer | null {
  let c = coercers.get(type);
  if (c !== undefined) return c;
  coercers.set(type, null); // a recursive input type stays with graphql-js
  c = inputCoercer(type);
  coercers.set(type, c);
  return c;
}

function inputCoercer(type: GraphQLInputType): Coercer | null {
  if (isNonNullType(type)) {
    const inner = compileInput(type.ofType);
    return inner && ((v) => (v == null ? unusual() : inner(v)));
  }
  let write: Coercer | null;
  if (isListType(type)) {
    const item = compileInput(type.ofType);
    write =
      item &&
      ((v) => {
        if (!Array.isArray(v)) return unusual();
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = item(v[i]);
        return out;
      });
  } else if (isInputObjectType(type)) {
    if (type.isOneOf) return null;
    const fields = Object.values(type.getFields());
    if (fields.some((f) => f.defaultValue !== undefined)) return null;
    const known = new Set(fields.map((f) => f.name));
    const each: Coercer[] = [];
    for (const f of fields) {
      const field = compileInput(f.type);
      if (!field) return null;
      each.push(field);
    }
    // Generated like the output writers (compileSelection): each field read and set at its own site.
    const steps = fields.map((f, i) => {
      const name = JSON.stringify(f.name);
      const absent = isNonNullType(f.type) ? 'return U();' : '';
      return `x = v[${name}];\n  if (x === undefined) { ${absent} } else { out[${name}] = C[${i}](x); }`;
    });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated here from quoted names only
    const make = new Function(
      'C',
      'U',
      'known',
      `return function coerce(v) {
  if (typeof v !== 'object' || Array.isArray(v)) return U();
  const out = {};
  let x;
  ${steps.join('\n  ')}
  // A field the type does not define, among the value's own enumerable ones, as graphql-js looks for them (a count
  // of the fields read would miss one beside a field inherited or not enumerable): graphql-js names it.
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) if (!known.has(keys[i])) return U();
  return out;
};`,
    ) as (c: Coercer[], u: () => never, known: Set<string>) => Coercer;
    write = make(each, unusual, known);
  } else {
    const leaf = type;
    write = (v) => {
      const parsed = leaf.parseValue(v);
      return parsed === undefined ? unusual() : parsed;
    };
  }
  return write && ((v) => (v == null ? null : write(v)));
}

/**
 * The operation's variables coerced as graphql-js's getVariableValues would, when each has a plain type and no
 * default; undefined otherwise, or when a value is one graphql-js must judge.
 */
function plainVariables(
  schema: GraphQLSchema,
  defs: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  try {
    for (const def of defs) {
      const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
      const coerce = type && !def.defaultValue ? compileInput(type) : null;
      if (!coerce) return undefined;
      const name = def.variable.name.value;
      if (Object.prototype.hasOwnProperty.call(inputs, name)) out[name] = coerce(inputs[name]);
      else if (isNonNullType(type)) return undefined;
    }
  } catch {
    return undefined;
  }
  return out;
}

/** The resolution done before execution, kept for graphql-js when the writer could not finish. */
type Early = { value: unknown } | { error: unknown };
const early = new WeakMap<object, Early>();

/** The root field's resolver: what the plugin already resolved for this request, else `resolve` itself. */
export function resolvedEarly<C extends object>(
  resolve: GraphQLFieldResolver<unknown, C>,
): GraphQLFieldResolver<unknown, C> {
  return (root, args, ctx, info) => {
    const done = early.get(ctx);
    if (!done) return resolve(root, args, ctx, info);
    early.delete(ctx);
    if ('error' in done) throw done.error;
    return done.value;
  };
}

type Plan = { key: string; field: FieldNode; write: Writer } | null;

/** The plugin for the root fields `names` of the query type (their resolvers wrapped by resolvedEarly). */
export function earlyResultPlugin(names: readonly string[]): ApolloServerPlugin<object> {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();
  const planOf = (schema: GraphQLSchema, document: DocumentNode, op: string, selections: SelectionSetNode): Plan => {
    let byOp = plans.get(document);
    if (!byOp) plans.set(document, (byOp = new Map()));
    let plan = byOp.get(op);
    if (plan !== undefined) return plan;
    const [field, more] = selections.selections;
    const def = field?.kind === Kind.FIELD ? schema.getQueryType()?.getFields()[field.name.value] : undefined;
    const write =
      def && !more && names.includes(def.name) && !field.directives?.length
        ? compileSelection(def.type, (field as FieldNode).selectionSet)
        : undefined;
    plan = write ? { key: (field as FieldNode).alias?.value ?? def!.name, field: field as FieldNode, write } : null;
    byOp.set(op, plan);
    return plan;
  };
  const listener: GraphQLRequestListener<object> = {
    async responseForOperation({ schema, document, operation, request, contextValue }) {
      if (!operation || operation.operation !== OperationTypeNode.QUERY) return null;
      const plan = planOf(schema, document, operation.name?.value ?? '', operation.selectionSet);
      if (!plan) return null;
      // Coerced as execution would; a problem is reported by execution itself (nothing has run yet).
      const defs = operation.variableDefinitions ?? [];
      const inputs = request.variables ?? {};
      const coerced = plainVariables(schema, defs, inputs) ?? getVariableValues(schema, defs, inputs).coerced;
      if (!coerced) return null;
      const def = schema.getQueryType()!.getFields()[plan.field.name.value];
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(def, plan.field, coerced);
      } catch {
        return null;
      }
      let value: unknown;
      try {
        // The resolvers given here read neither the root value nor the resolve info.
        value = await def.resolve!(undefined, args, contextValue, undefined as never);
      } catch (error) {
        early.set(contextValue, { error });
        return null;
      }
      let data: WrittenJson;
      try {
        data = new WrittenJson(plan.write(value));
      } catch {
        // Unusual, or a serializer's refusal: graphql-js completes the value and reports it where it belongs.
        early.set(contextValue, { value });
        return null;
      }
      return {
        http: { status: undefined, headers: new HeaderMap() },
        body: { kind: 'single', singleResult: { data: { [plan.key]: data } } },
      };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
