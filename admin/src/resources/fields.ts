import {
  getNamedType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { schema } from '../providers/graphql';

/**
 * What the console knows about a record's editable fields, read from the
 * API's schema (the `<Type>Input` type for what can be written, the output
 * type for descriptions and which fields are required). Every generic form,
 * list and show page is built from this, so a field added to the API appears
 * in the console without a console change.
 */
export type FieldKind =
  | 'string'
  | 'text'
  | 'int'
  | 'float'
  | 'boolean'
  | 'enum'
  | 'strings'
  | 'objects'
  | 'object'
  | 'reference'
  | 'json'
  | 'expression'
  | 'password';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  description?: string;
  required: boolean;
  choices?: { id: string; name: string }[];
  /** For a reference: the resource it points to. */
  reference?: string;
  /** For a list of objects, or one object: their fields. */
  of?: FieldSpec[];
  /** For an expression: what it must evaluate to. */
  expressionKind?: 'CONDITION' | 'POINTS';
}

/** Id fields and the resources they point to. */
export const REFERENCES: Record<string, string> = {
  icpId: 'icps',
  tierId: 'tiers',
  dimensionId: 'scoringDimensions',
  userId: 'appUsers',
};

/** The fields written in CEL, checked as they are typed. */
export const EXPRESSIONS: Record<string, 'CONDITION' | 'POINTS'> = {
  'Tier.criteria': 'CONDITION',
  'Disqualifier.expression': 'CONDITION',
  'TriggerEvent.expression': 'CONDITION',
  'ScoringRule.condition': 'CONDITION',
  'ScoringRule.points': 'POINTS',
  'Criterion.expression': 'CONDITION',
  'Persona.appliesWhen': 'CONDITION',
};

const LONG_TEXT =
  /description|quote|reason|context|action|notes|roleInPurchasing|budgetAuthority|targetAudience|question|item/i;

export const humanize = (name: string) =>
  name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/\bIcp\b/g, 'ICP')
    .replace(/\bUsd\b/g, 'USD');

export const enumChoices = (type: GraphQLEnumType) =>
  type.getValues().map((v) => ({ id: v.name, name: v.name.toLowerCase().replace(/_/g, ' ') }));

function kindOf(
  owner: string,
  name: string,
  type: GraphQLInputType,
): Omit<FieldSpec, 'name' | 'required' | 'description'> {
  const expressionKind = EXPRESSIONS[`${owner}.${name}`];
  if (expressionKind) return { kind: 'expression', expressionKind };
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(type);
  if (isListType(inner)) {
    if (isInputObjectType(named))
      return { kind: 'objects', of: fieldsOfInput(named, named.name.replace(/Input$/, '')) };
    if (isEnumType(named)) return { kind: 'strings', choices: enumChoices(named) };
    return { kind: 'strings' };
  }
  if (isEnumType(named)) return { kind: 'enum', choices: enumChoices(named) };
  if (isInputObjectType(named)) return { kind: 'object', of: fieldsOfInput(named, named.name.replace(/Input$/, '')) };
  if (REFERENCES[name]) return { kind: 'reference', reference: REFERENCES[name] };
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        return { kind: 'int' };
      case 'Float':
        return { kind: 'float' };
      case 'Boolean':
        return { kind: 'boolean' };
      case 'JSON':
        return { kind: 'json' };
      default:
        if (name === 'password') return { kind: 'password' };
        return { kind: LONG_TEXT.test(name) ? 'text' : 'string' };
    }
  }
  return { kind: 'json' };
}

function fieldsOfInput(input: GraphQLInputObjectType, owner: string): FieldSpec[] {
  const output = schema.getType(owner) as GraphQLObjectType | undefined;
  const outFields = output && 'getFields' in output ? output.getFields() : {};
  return Object.values(input.getFields())
    .map((f): Omit<FieldSpec, 'required'> => {
      const out = outFields[f.name];
      return {
        name: f.name,
        description: f.description ?? out?.description ?? undefined,
        ...kindOf(owner, f.name, f.type),
      };
    })
    .map((spec) => ({ ...spec, required: REQUIRED.has(spec.name) }))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Fields every record of its type must have (the server checks the rest, e.g. what has a default). */
const REQUIRED = new Set(['icpId', 'dimensionId', 'name', 'email', 'slug', 'type', 'userId', 'role']);
const NAMEISH = ['name', 'email', 'slug', 'label', 'question', 'item', 'description'];
/** The order of a form: what the record belongs to, what it is called, what decides, then the prose and the lists. */
function rank(f: FieldSpec): number {
  if (f.name === 'icpId' || f.name === 'dimensionId' || f.name === 'userId') return 0;
  if (NAMEISH.includes(f.name)) return 1 + NAMEISH.indexOf(f.name) / 10;
  if (f.name === 'password') return 2;
  if (f.kind === 'enum' || f.kind === 'reference') return 3;
  if (f.kind === 'expression') return 4;
  if (f.name === 'position') return 12;
  return (
    { int: 5, float: 5, boolean: 5, string: 6, text: 7, json: 8, objects: 9, strings: 10, object: 11 }[
      f.kind as 'int'
    ] ?? 11
  );
}

const cache = new Map<string, FieldSpec[]>();
/** The editable fields of a record type, e.g. "Persona", in the schema's order of `<Type>Input`. */
export function editableFields(type: string): FieldSpec[] {
  let fields = cache.get(type);
  if (!fields) {
    const create = (schema.getMutationType() as GraphQLObjectType).getFields()[`create${type}`];
    const arg = create?.args.find((a) => a.name === 'input');
    const input = (arg ? getNamedType(arg.type) : schema.getType(`${type}Input`)) as GraphQLInputObjectType | undefined;
    fields = input ? fieldsOfInput(input, type) : [];
    cache.set(type, fields);
  }
  return fields;
}

/**
 * A field of the record's output type that its input lacks (a read-only
 * record, or a field the server derives, e.g. a user's role here), for a
 * column or a page: an enum reads as its choices, anything else as text.
 */
export function outputField(type: string, name: string): FieldSpec {
  const field = (schema.getType(type) as GraphQLObjectType | undefined)?.getFields()[name];
  const named = field && getNamedType(field.type);
  return {
    name,
    required: false,
    description: field?.description ?? undefined,
    ...(named && isEnumType(named)
      ? { kind: 'enum' as const, choices: enumChoices(named) }
      : { kind: 'string' as const }),
  };
}

/** The filter fields a list query takes for a record type. */
export function filterFields(type: string): Record<string, GraphQLInputType> {
  const listField = Object.values((schema.getQueryType() as GraphQLObjectType).getFields()).find(
    (f) =>
      getNamedType(f.type).name === type &&
      isListType(isNonNullType(f.type) ? f.type.ofType : f.type) &&
      f.args.some((a) => a.name === 'filter'),
  );
  const filterType =
    listField && (getNamedType(listField.args.find((a) => a.name === 'filter')!.type) as GraphQLInputObjectType);
  return filterType ? Object.fromEntries(Object.values(filterType.getFields()).map((f) => [f.name, f.type])) : {};
}

/** The fields a list can be sorted by: the values of its type's `<Type>SortField` enum, the `sort` argument's field. */
export function sortableFields(resource: string): string[] {
  const field = (schema.getQueryType() as GraphQLObjectType).getFields()[resource];
  const sort = field?.args.find((a) => a.name === 'sort');
  const input = sort && getNamedType(sort.type);
  const key = input && isInputObjectType(input) ? getNamedType(input.getFields().field?.type) : undefined;
  return key && isEnumType(key) ? key.getValues().map((v) => v.name) : [];
}

/** The record type a resource lists, e.g. "personas" → "Persona". */
export function typeOf(resource: string): string {
  const field = (schema.getQueryType() as GraphQLObjectType).getFields()[resource];
  if (!field) throw new Error(`unknown resource ${resource}`);
  return getNamedType(field.type).name;
}
