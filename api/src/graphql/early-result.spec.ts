import { ApolloServer } from '@apollo/server';
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
  parse,
} from 'graphql';
import { compileSelection, earlyResultPlugin, resolvedEarly } from './early-result';

/**
 * The early answer is graphql-js's answer: the same query, run by an Apollo Server with the plugin and by one
 * without, gives the same response (data and errors), and the root resolver runs once either way.
 */
const Child = new GraphQLObjectType({ name: 'Child', fields: { name: { type: new GraphQLNonNull(GraphQLString) } } });
/** A scalar that serializes one value to null, which graphql-js refuses. */
const Odd = new GraphQLScalarType({ name: 'Odd', serialize: (v) => (v === 'null-me' ? null : v) });
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
    kind: { type: new GraphQLNonNull(KindEnum) },
    method: { type: GraphQLString },
    echo: { type: GraphQLString },
    odd: { type: new GraphQLNonNull(Odd) },
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

/** Items as a service returns them, each echoing the filter it was given; `mode` plants what graphql-js refuses. */
function items(n: number, mode?: string, filter?: unknown): unknown[] {
  if (mode === 'throw') throw new Error('the service refused');
  return Array.from({ length: n }, (_, i) => ({
    id: i === 1 && mode === 'nullId' ? null : i,
    score: i === 1 && mode === 'nan' ? NaN : i / 2,
    rank: i === 1 && mode === 'bigInt' ? 2 ** 40 : i,
    label: i % 2 ? null : `item ${i}`,
    tags: i === 1 && mode === 'notList' ? 'x' : ['a', `t${i}`],
    child: i % 3 ? { name: `c${i}` } : null,
    kind: i === 1 && mode === 'badEnum' ? 'z' : i % 2 ? 'a' : 'b',
    method: mode === 'fn' ? () => 'called' : 'm',
    odd: i === 1 && mode === 'nullScalar' ? 'null-me' : 'fine',
    echo: JSON.stringify(filter),
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
  });
}

const SELECTION = 'id score rank label tags child { name } kind method';
const FILTERED = 'query($f: [Filter!]) { items(n: 2, filter: $f) { id echo } }';
// Each with its variables (jest would take a missing third element for a done callback).
/** The name, query and variables of each case; the first six are answered early (and graphql-js's coercion of a lone object into a list too), the rest by graphql-js. */
const CASES: [string, string, Record<string, unknown>][] = [
  ['a plain selection', `query Q($n: Int!) { items(n: $n) { ${SELECTION} } }`, { n: 5 }],
  ['aliases and __typename', `{ list: items(n: 3) { key: id __typename child { __typename n: name } } }`, {}],
  ['no items', `{ items(n: 0) { id } }`, {}],
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

  it.each(CASES.map((c, i) => [...c, i < 6 || c[0] === 'list input: an object for a list'] as const))(
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
      // Resolved by the plugin: answered by it (the plain cases) or handed to graphql-js (the planted problems).
      expect(calls.early.early).toBe(answeredEarly || /^\{ items\(n: \d, mode/.test(query) ? 1 : 0);
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
