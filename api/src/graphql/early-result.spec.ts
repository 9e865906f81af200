import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  GraphQLEnumType,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  coerceInputValue,
  parse,
} from 'graphql';
import {
  compileInput,
  compileSelection,
  earlyResultPlugin,
  resolvedEarly,
  stringifyResult,
  WrittenJson,
} from './early-result';

/**
 * The early answer is graphql-js's answer: the same query, run by an Apollo Server with the plugin and by one
 * without, gives the same response (data and errors), and the root resolver runs once either way.
 */
const Child = new GraphQLObjectType({ name: 'Child', fields: { name: { type: new GraphQLNonNull(GraphQLString) } } });
/** A scalar that serializes one value to null, which graphql-js refuses. */
const Odd = new GraphQLScalarType({ name: 'Odd', serialize: (v) => (v === 'null-me' ? null : v) });
/** A scalar that serializes to an object (a JSON scalar), one with toJSON among its values. */
const Blob = new GraphQLScalarType({ name: 'Blob', serialize: (v) => v });
/** An object whose fields are all nullable: an Error or a Promise in its place has the shape of one. */
const Meta = new GraphQLObjectType({
  name: 'Meta',
  fields: { note: { type: GraphQLString }, message: { type: GraphQLString } },
});
const KindEnum = new GraphQLEnumType({ name: 'Kind', values: { A: { value: 'a' }, B: { value: 'b' } } });
const Item = new GraphQLObjectType({
  name: 'Item',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    score: { type: new GraphQLNonNull(GraphQLFloat) },
    rank: { type: GraphQLInt },
    label: { type: GraphQLString },
    tags: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))) },
    child: { type: Child },
    meta: { type: Meta },
    kind: { type: new GraphQLNonNull(KindEnum) },
    method: { type: GraphQLString },
    echo: { type: GraphQLString },
    odd: { type: new GraphQLNonNull(Odd) },
    blob: { type: Blob },
    upper: { type: GraphQLString, resolve: (i: { label?: string }) => i.label?.toUpperCase() },
    withArg: { type: GraphQLString, args: { x: { type: GraphQLInt } }, resolve: (_i, a) => `x=${a.x}` },
  },
});

const Filter = new GraphQLInputObjectType({
  name: 'Filter',
  fields: {
    tag: { type: new GraphQLNonNull(GraphQLString) },
    min: { type: GraphQLFloat },
    on: { type: GraphQLBoolean },
  },
});

/** Strings and numbers whose JSON text has a form of its own (escapes, exponents, -0). */
const TEXTS = ['he said "hi"', 'back\\slash\ttab\nline', '\u2028\u0001', 'emoji 😀 and é', '</script>', ''];
const NUMBERS = [-0, 1e21, 0.1 + 0.2, -1.5e-7, Number.MAX_SAFE_INTEGER, 123456789.125];

/** Values with a toJSON of their own: JSON.stringify calls it with the property's name and may get nothing back. */
const keyed = { toJSON: (key: string) => `written as ${JSON.stringify(key)}` };
const vanishing = { toJSON: () => undefined };

/** Items as a service returns them, each echoing the filter it was given; `mode` plants what graphql-js refuses. */
function items(n: number, mode?: string, filter?: unknown): unknown[] {
  if (mode === 'throw') throw new Error('the service refused');
  return Array.from({ length: n }, (_, i) => ({
    id: i === 1 && mode === 'nullId' ? null : i,
    score: i === 1 && mode === 'nan' ? NaN : mode === 'text' ? NUMBERS[i % NUMBERS.length] : i / 2,
    rank: i === 1 && mode === 'bigInt' ? 2 ** 40 : i,
    label: mode === 'text' ? TEXTS[i % TEXTS.length] : i % 2 ? null : `item ${i}`,
    tags: i === 1 && mode === 'notList' ? 'x' : ['a', `t${i}`],
    child: i % 3 ? { name: `c${i}` } : null,
    kind: i === 1 && mode === 'badEnum' ? 'z' : i % 2 ? 'a' : 'b',
    method: mode === 'fn' ? () => 'called' : 'm',
    odd: i === 1 && mode === 'nullScalar' ? 'null-me' : 'fine',
    echo: JSON.stringify(filter),
    blob:
      mode === 'toJSON'
        ? [keyed, new Date(Date.UTC(2026, 0, i + 1))][i % 2]
        : mode === 'vanishing' && i === 1
          ? vanishing
          : i === 1 && mode === 'error'
            ? new Error('the blob broke')
            : i === 1 && mode === 'promise'
              ? Promise.resolve({ later: true })
              : i % 3 === 2
                ? null
                : { n: i, at: new Date(Date.UTC(2026, 0, i + 1)), list: [i, 'x', null, { deep: true }] },
    meta:
      i === 1 && mode === 'error'
        ? new Error('the meta broke')
        : i === 1 && mode === 'promise'
          ? Promise.resolve({ note: 'later' })
          : i % 2
            ? { note: `n${i}` }
            : null,
  }));
}

/** Calls of the root resolver; `early`: those made by the plugin (it passes no resolve info). */
type Calls = { n: number; early: number };

function server(early: boolean, calls: Calls) {
  const resolve = (
    _root: unknown,
    args: { n: number; mode?: string; filter?: unknown },
    _ctx: unknown,
    info?: unknown,
  ) => {
    calls.n++;
    if (!info) calls.early++;
    return Promise.resolve().then(() => items(args.n, args.mode, args.filter));
  };
  const query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Item))),
        args: {
          n: { type: new GraphQLNonNull(GraphQLInt) },
          mode: { type: GraphQLString },
          filter: { type: new GraphQLList(new GraphQLNonNull(Filter)) },
        },
        resolve: early ? resolvedEarly(resolve) : resolve,
      },
      other: { type: GraphQLString, resolve: () => 'other' },
    },
  });
  return new ApolloServer({
    schema: new GraphQLSchema({ query }),
    // Cache control (on by default) wraps every field's resolver, which turns the early answer off: off, as in server.ts.
    plugins: [ApolloServerPluginCacheControlDisabled(), ...(early ? [earlyResultPlugin(['items'])] : [])],
    // As in server.ts: the field answered early is sent as its written text.
    ...(early ? { stringifyResult } : {}),
  });
}

/** The status and body text of a POST /graphql, as the HTTP handler sends them. */
async function overHttp(apollo: ApolloServer, query: string, variables: Record<string, unknown>) {
  const headers = new HeaderMap([['content-type', 'application/json']]);
  const res = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables } },
    context: async () => ({}),
  });
  return { status: res.status ?? 200, text: res.body.kind === 'complete' ? res.body.string : 'chunked' };
}

const SELECTION = 'id score rank label tags child { name } kind method blob';
const FILTERED = 'query($f: [Filter!]) { items(n: 2, filter: $f) { id echo } }';
// Each with its variables (jest would take a missing third element for a done callback).
/** The name, query and variables of each case; the first seven are answered early (and graphql-js's coercion of a lone object into a list too), the rest by graphql-js. */
const CASES: [string, string, Record<string, unknown>][] = [
  ['a plain selection', `query Q($n: Int!) { items(n: $n) { ${SELECTION} } }`, { n: 5 }],
  ['aliases and __typename', `{ list: items(n: 3) { key: id __typename child { __typename n: name } } }`, {}],
  ['no items', `{ items(n: 0) { id } }`, {}],
  ['strings and numbers with a JSON form of their own', `{ items(n: 12, mode: "text") { label score } }`, {}],
  [
    'list input',
    FILTERED,
    {
      f: [
        { tag: 'a', min: 1.5, on: true },
        { on: null, tag: 'b' },
      ],
    },
  ],
  ['list input: null', FILTERED, { f: null }],
  ['list input: absent', FILTERED, {}],
  ['a null where the schema says non-null', `{ items(n: 3, mode: "nullId") { id score } }`, {}],
  ['a Float serializer refusing NaN', `{ items(n: 3, mode: "nan") { id score } }`, {}],
  ['an Int out of range', `{ items(n: 3, mode: "bigInt") { id rank } }`, {}],
  ['an enum value outside the enum', `{ items(n: 3, mode: "badEnum") { kind } }`, {}],
  ['a string where a list belongs', `{ items(n: 3, mode: "notList") { tags } }`, {}],
  ['a method where a property belongs', `{ items(n: 2, mode: "fn") { method } }`, {}],
  ['a scalar serialized to null', `{ items(n: 3, mode: "nullScalar") { id odd } }`, {}],
  ['a scalar value with a toJSON of its own', `{ items(n: 3, mode: "toJSON") { id blob } }`, {}],
  ['a scalar value whose toJSON gives nothing', `{ items(n: 3, mode: "vanishing") { id blob } }`, {}],
  ['an Error as a scalar value', `{ items(n: 3, mode: "error") { id blob } }`, {}],
  ['an Error as an object value', `{ items(n: 3, mode: "error") { id meta { note message } } }`, {}],
  ['a Promise as a scalar value', `{ items(n: 3, mode: "promise") { id blob } }`, {}],
  ['a Promise as an object value', `{ items(n: 3, mode: "promise") { id meta { note message } } }`, {}],
  ['the resolver throwing', `{ items(n: 2, mode: "throw") { id } }`, {}],
  ['a field with its own resolver', `{ items(n: 2) { id upper } }`, {}],
  ['a field with arguments', `{ items(n: 2) { id withArg(x: 3) } }`, {}],
  ['a fragment', `{ items(n: 2) { ...F } } fragment F on Item { id score }`, {}],
  ['a directive', `query($no: Boolean!) { items(n: 2) { id label @include(if: $no) } }`, { no: false }],
  ['two root fields', `{ items(n: 2) { id } other }`, {}],
  ['a variable of the wrong type', `query($n: Int!) { items(n: $n) { id } }`, { n: 'two' }],
  ['list input: a field the type lacks', FILTERED, { f: [{ tag: 'a', max: 2 }] }],
  ['list input: null where required', FILTERED, { f: [{ tag: null }] }],
  ['list input: a string for a Float', FILTERED, { f: [{ tag: 'a', min: 'x' }] }],
  ['list input: an object for a list', FILTERED, { f: { tag: 'a' } }],
  ['list input: a list item null', FILTERED, { f: [null] }],
  ['a missing variable', `query($n: Int!) { items(n: $n) { id } }`, {}],
];

describe('earlyResultPlugin', () => {
  const calls = { early: { n: 0, early: 0 }, plain: { n: 0, early: 0 } };
  const withPlugin = server(true, calls.early);
  const without = server(false, calls.plain);
  beforeAll(() => Promise.all([withPlugin.start(), without.start()]));
  afterAll(() => Promise.all([withPlugin.stop(), without.stop()]));

  it.each(CASES.map((c, i) => [...c, i < 7 || c[0] === 'list input: an object for a list'] as const))(
    'answers as graphql-js does: %s',
    async (_, query, variables, answeredEarly) => {
      for (const c of Object.values(calls)) Object.assign(c, { n: 0, early: 0 });
      const [a, b] = await Promise.all([
        withPlugin.executeOperation({ query, variables }),
        without.executeOperation({ query, variables }),
      ]);
      expect(JSON.parse(JSON.stringify(a.body))).toEqual(JSON.parse(JSON.stringify(b.body)));
      expect(a.http.status).toBe(b.http.status);
      expect(calls.early.n).toBe(calls.plain.n);
      expect(calls.plain.early).toBe(0);
      // Answered by the plugin's writer, or by graphql-js after it (a writer that always gave up would pass the rest).
      const data = a.body.kind === 'single' ? a.body.singleResult.data : undefined;
      expect(Object.values(data ?? {}).some((v) => v instanceof WrittenJson)).toBe(answeredEarly);
      // Resolved by the plugin: answered by it (the plain cases) or handed to graphql-js (the planted problems).
      expect(calls.early.early).toBe(answeredEarly || /^\{ items\(n: \d+, mode/.test(query) ? 1 : 0);
      // And over HTTP, byte for byte: the text written early is the text Apollo would have written.
      const [x, y] = await Promise.all([overHttp(withPlugin, query, variables), overHttp(without, query, variables)]);
      expect(x).toEqual(y);
    },
  );
});

describe('compileSelection', () => {
  const selectionOf = (q: string) => {
    const op = parse(q).definitions[0];
    if (op.kind !== Kind.OPERATION_DEFINITION || op.selectionSet.selections[0].kind !== Kind.FIELD) throw new Error(q);
    return op.selectionSet.selections[0].selectionSet;
  };

  it('compiles a plain selection, and nothing else', () => {
    const list = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Item)));
    expect(compileSelection(list, selectionOf(`{ items { ${SELECTION} } }`))).toBeDefined();
    expect(compileSelection(list, selectionOf('{ items { id upper } }'))).toBeUndefined();
    expect(compileSelection(list, selectionOf('{ items { ...F } }'))).toBeUndefined();
    expect(compileSelection(list, selectionOf('{ items { id id: score } }'))).toBeUndefined();
    expect(compileSelection(list, selectionOf('{ items { child } }'))).toBeUndefined();
  });
});

/** Takes any value as it is (a JSON scalar does): a function read from a prototype included. */
const Anything = new GraphQLScalarType({ name: 'Anything', parseValue: (v) => v });
/** Fields named as Object.prototype's members: a plain object "has" them, inherited. */
const Named = new GraphQLInputObjectType({
  name: 'Named',
  fields: { constructor: { type: Anything }, toString: { type: Anything } },
});

describe('compileInput', () => {
  const list = new GraphQLList(new GraphQLNonNull(Filter));
  const coerce = compileInput(list);
  const named = compileInput(Named);

  it('reads fields named as Object.prototype members as graphql-js does', () => {
    for (const value of [{ constructor: 5 }, {}, { toString: 'x', constructor: null }]) {
      expect(named!(value)).toEqual(coerceInputValue(value, Named));
    }
  });

  it('coerces what graphql-js accepts into what graphql-js makes of it', () => {
    expect(coerce).not.toBeNull();
    for (const value of [
      [
        { tag: 'a', min: 1.5, on: true },
        { on: null, tag: 'b' },
        { tag: '', min: -0 },
      ],
      [],
      null,
      [{ tag: 'only', min: 3 }],
    ]) {
      const mine = coerce!(value);
      expect(mine).toEqual(coerceInputValue(value, list));
      // Not just equal: the same fields in the same order, on plain objects.
      expect(JSON.stringify(mine)).toBe(JSON.stringify(coerceInputValue(value, list)));
    }
  });

  // A known field inherited, beside an unknown one of its own: graphql-js reads the first and names the second.
  const inherited = Object.assign(Object.create({ min: 1 }) as object, { tag: 'a', max: 2 });
  it.each([
    ['a field the type lacks', [{ tag: 'a', max: 2 }]],
    ['a known field inherited, an unknown one its own', [inherited]],
    ['null where required', [{ tag: null }]],
    ['a required field absent', [{ min: 1 }]],
    ['a string for a Float', [{ tag: 'a', min: 'x' }]],
    ['an unknown field set to undefined', [{ tag: 'a', unset: undefined }]],
    ['a list item null', [null]],
    ['a string for an object', 'a'],
    [
      'a known field not enumerable, an unknown one enumerable',
      [Object.defineProperty({ max: 2 }, 'tag', { value: 'a', enumerable: false })],
    ],
  ])('refuses what graphql-js refuses, leaving it to report: %s', (_, value) => {
    expect(() => coerceInputValue(value, list)).toThrow();
    expect(() => coerce!(value)).toThrow();
  });

  it('refuses an unknown field beside an inherited one named as an Object.prototype member', () => {
    // As many unknown fields of its own as known ones inherited (a count alone would miss them).
    const value = { other: 1, another: 2 };
    expect(() => coerceInputValue(value, Named)).toThrow(/Field "other" is not defined/);
    expect(() => named!(value)).toThrow();
  });
});

describe('stringifyResult', () => {
  const written = new WrittenJson('[{"id":"1","label":"a \\"b\\""},null]');
  it.each([
    ['one field written early', { data: { items: written } }],
    ['with extensions', { data: { list: written }, extensions: { cost: { requested: 3 } } }],
    ['two fields', { data: { items: written, other: 'x' } }],
    ['with errors', { errors: [{ message: 'no' }], data: { items: written } }],
    ['no data', { data: null, errors: [{ message: 'no' }] }],
  ])('writes what JSON.stringify writes: %s', (_, value) => {
    expect(stringifyResult(value)).toBe(JSON.stringify(value) + '\n');
  });
});
