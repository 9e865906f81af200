import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  validate,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/**
 * The shape of one operation of a document, measured once per parsed
 * document (Apollo reuses parsed documents) across every fragment spread:
 * a fragment counts once per place it is spread. The cost and the accounts
 * scored depend on the lengths of list variables, so they are kept as sums of
 * terms (a coefficient times the lengths of some variables), evaluated per
 * request in a few multiplications.
 */
export interface Shape {
  rootFields: string[];
  depth: number;
  aliases: number;
  directives: number;
  fields: number;
  cost: Term[];
  accounts: Term[];
  /** Lengths of the list default values of variables, used when a request omits them. */
  defaults: Record<string, number>;
}

/** coef × the product of the lengths of `vars`. */
export interface Term {
  coef: number;
  vars: string[];
}

/**
 * Fields that score accounts, with the argument listing them (null: one
 * account). Their result holds one entry per account, so the fields selected
 * under them are resolved once per account.
 */
export const SCORING_FIELDS: Record<string, string | null> = {
  'Query.fitScore': null,
  'Query.fitScores': 'accounts',
  'Query.simulateIcp': 'accounts',
};

/** What the fields under a list of unknown length are counted as: that many items. */
export const LIST_ITEMS = 10;
// Lists whose length is known better than LIST_ITEMS: a simulation's accounts are simulateIcp's list
// (already counted); a score's explanation holds every check of the model (14–26 in the demo ICPs),
// and counting it as 10 let a 10,000-account query through that took 2.5 s (bench/RESULTS.md); a score's
// tierMatches has one entry per tier with criteria (2–3 in the demo ICPs), each its conditions (1–7).
const KNOWN_LISTS: Record<string, number> = {
  'Simulation.accounts': 1,
  'FitScore.explanation': 30,
  'FitScore.tierMatches': 5,
  'TierMatch.conditions': 8,
};

// graphql-armor measures depth, aliases and directives (its rules follow every spread and remember
// each fragment's count); with no limit of their own they report what they found, which we judge.
let measuring: Pick<Shape, 'depth' | 'aliases' | 'directives'> | undefined;
const record = (key: 'depth' | 'aliases' | 'directives') => [
  (_ctx: unknown, details: { n: number }) => {
    if (measuring) measuring[key] = Math.max(measuring[key], details.n);
  },
];
const measure = { n: Infinity, propagateOnRejection: false };
const ARMOR_RULES: ValidationRule[] = new ApolloArmor({
  maxDepth: { ...measure, flattenFragments: true, onAccept: record('depth') },
  maxAliases: { ...measure, onAccept: record('aliases') },
  maxDirectives: { ...measure, onAccept: record('directives') },
  maxTokens: { enabled: false },
  costLimit: { enabled: false },
  blockFieldSuggestion: { enabled: false },
}).protect().validationRules;

type Poly = Map<string, Term>;
interface Tally {
  fields: number;
  cost: Poly;
  accounts: Poly;
}

const constant = (n: number): Poly => new Map([['', { coef: n, vars: [] }]]);
function addInto(into: Poly, p: Poly, times: Poly = constant(1)): void {
  for (const a of p.values()) {
    for (const b of times.values()) {
      const vars = [...a.vars, ...b.vars].sort();
      const key = vars.join('*');
      const had = into.get(key);
      if (had) had.coef += a.coef * b.coef;
      else into.set(key, { coef: a.coef * b.coef, vars });
    }
  }
}

/** The length of a list argument: a literal's, a variable's (known per request), 1 for a single value. */
function lengthOf(value: ValueNode): Poly {
  if (value.kind === Kind.LIST) return constant(value.values.length);
  if (value.kind === Kind.VARIABLE) return new Map([[value.name.value, { coef: 1, vars: [value.name.value] }]]);
  return constant(value.kind === Kind.NULL ? 0 : 1);
}

function fieldDef(
  parent: GraphQLCompositeType,
  name: string,
  schema: GraphQLSchema,
): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType() && name === '__schema') return SchemaMetaFieldDef;
  if (parent === schema.getQueryType() && name === '__type') return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

class Walker {
  private readonly memo = new Map<string, Tally>();
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  set(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    into: Tally = { fields: 0, cost: new Map(), accounts: new Map() },
  ): Tally {
    for (const sel of selectionSet.selections) {
      if (sel.kind === Kind.FIELD) this.field(sel, parent, into);
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? this.schema.getType(sel.typeCondition.name.value) : parent;
        this.set(sel.selectionSet, isCompositeType(type) ? type : parent, into);
      } else {
        const part = this.fragment(sel.name.value);
        if (part) merge(into, part);
      }
    }
    return into;
  }

  // Each fragment is tallied once and added at every spread (validation has refused cycles).
  private fragment(name: string): Tally | undefined {
    let tally = this.memo.get(name);
    const f = this.fragments[name];
    if (!tally && f) {
      const type = this.schema.getType(f.typeCondition.name.value);
      if (!isCompositeType(type)) return undefined;
      this.memo.set(name, (tally = this.set(f.selectionSet, type)));
    }
    return tally;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, into: Tally): void {
    const key = `${parent.name}.${node.name.value}`;
    const def = fieldDef(parent, node.name.value, this.schema);
    into.fields++;
    addInto(into.cost, constant(1));
    for (const arg of node.arguments ?? []) {
      const argDef = def?.args.find((a) => a.name === arg.name.value);
      if (argDef && isListType(getNullableType(argDef.type))) addInto(into.cost, lengthOf(arg.value));
    }
    const scored = SCORING_FIELDS[key];
    const listArg = scored ? node.arguments?.find((a) => a.name.value === scored) : undefined;
    const perAccount = listArg ? lengthOf(listArg.value) : constant(1);
    if (scored !== undefined) addInto(into.accounts, perAccount);
    const type = def && getNamedType(def.type);
    if (!node.selectionSet || !type || !isCompositeType(type)) return;
    // The fields under a result list: once per account scored, else per item of an assumed length.
    const items =
      scored !== undefined
        ? perAccount
        : isListType(getNullableType(def.type))
          ? constant(KNOWN_LISTS[key] ?? LIST_ITEMS)
          : constant(1);
    const child = this.set(node.selectionSet, type);
    into.fields += child.fields;
    addInto(into.cost, child.cost, items);
    addInto(into.accounts, child.accounts, items);
  }
}

function merge(into: Tally, part: Tally): void {
  into.fields += part.fields;
  addInto(into.cost, part.cost);
  addInto(into.accounts, part.accounts);
}

function rootFields(op: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (fragments[sel.name.value]) walk(fragments[sel.name.value].selectionSet);
    }
  };
  walk(op.selectionSet);
  return out;
}

function analyse(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema): Shape {
  const defs = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const fragments = Object.fromEntries(defs.map((f) => [f.name.value, f]));
  const found = (measuring = { depth: 0, aliases: 0, directives: 0 });
  try {
    // This operation and the fragments only: the rules report per operation.
    validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...defs] }, ARMOR_RULES);
  } finally {
    measuring = undefined;
  }
  const root = schema.getRootType(operation.operation);
  const tally = root
    ? new Walker(schema, fragments).set(operation.selectionSet, root)
    : { fields: 0, cost: new Map(), accounts: new Map() };
  const defaults: Record<string, number> = {};
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue)
      defaults[v.variable.name.value] =
        v.defaultValue.kind === Kind.LIST ? v.defaultValue.values.length : v.defaultValue.kind === Kind.NULL ? 0 : 1;
  }
  return {
    rootFields: rootFields(operation, fragments),
    ...found,
    fields: tally.fields,
    cost: [...tally.cost.values()],
    accounts: [...tally.accounts.values()],
    defaults,
  };
}

// Apollo hands the same parsed document to every request with the same query text: analyse it once.
const shapes = new WeakMap<DocumentNode, Map<string, Shape>>();

export function shapeOf(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema): Shape {
  let byOp = shapes.get(document);
  if (!byOp) shapes.set(document, (byOp = new Map()));
  const key = operation.name?.value ?? '';
  let shape = byOp.get(key);
  if (!shape) {
    shape = analyse(document, operation, schema);
    if (byOp.size < 100) byOp.set(key, shape);
  }
  return shape;
}

/** A sum of terms for this request's variables (a list's length; a single value 1; absent or null 0). */
export function evaluate(
  terms: Term[],
  variables: Record<string, unknown> | undefined,
  defaults: Record<string, number>,
): number {
  let sum = 0;
  for (const { coef, vars } of terms) {
    let product = coef;
    for (const name of vars) {
      const value = variables?.[name];
      product *=
        value === undefined ? (defaults[name] ?? 0) : Array.isArray(value) ? value.length : value === null ? 0 : 1;
    }
    sum += product;
  }
  return sum;
}
