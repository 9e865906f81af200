import type { DataProvider, RaRecord } from 'react-admin';
import {
  getNamedType,
  getNullableType,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  isInputObjectType,
} from 'graphql';
import { GraphQLRequestError, gql, schema, selection, session } from './graphql';

/**
 * React-Admin's data provider over the API's conventions, the same for every
 * resource (named by its list query, e.g. "personas"): `personas`,
 * `personaCount`, `persona`, `createPersona`, `updatePersona` (with the
 * revision the edit was based on), `deletePersona`.
 */
interface Names {
  type: string;
  one: string;
  plural: string;
  /** The write inputs' names (`Create<Type>Input`, `Update<Type>Input`) and the filter's (`<Type>Filter`). */
  create: string;
  update: string;
  filter: string;
  /** The list's sort input type, e.g. `PersonaSort`. */
  sort: string;
}

const names = (resource: string): Names => {
  const list = (schema.getQueryType() as GraphQLObjectType).getFields()[resource];
  if (!list) throw new Error(`unknown resource ${resource}`);
  const type = getNamedType(list.type).name;
  const mutations = (schema.getMutationType() as GraphQLObjectType).getFields();
  const inputOf = (verb: string) => {
    const arg = mutations[`${verb}${type}`]?.args.find((a) => a.name === 'input');
    return arg ? getNamedType(arg.type).name : `${verb[0].toUpperCase()}${verb.slice(1)}${type}Input`;
  };
  const filterArg = list.args.find((a) => a.name === 'filter');
  const sortArg = list.args.find((a) => a.name === 'sort');
  return {
    type,
    one: type[0].toLowerCase() + type.slice(1),
    plural: resource,
    create: inputOf('create'),
    update: inputOf('update'),
    filter: filterArg ? getNamedType(filterArg.type).name : `${type}Filter`,
    sort: sortArg ? getNamedType(sortArg.type).name : `${type}Sort`,
  };
};

const fieldsOfType = (name: string) =>
  Object.keys((schema.getType(name) as GraphQLInputObjectType | undefined)?.getFields() ?? {});

/** The editor's reason for a change, typed in the form's "Why" field; kept in the history. */
export const REASON = 'changeReason';
const reasonOf = (data: Record<string, unknown>) => (typeof data[REASON] === 'string' && data[REASON].trim()) || null;

// One structured field (a provenance) left blank in a form, no box ticked and no text, means "none".
const blank = (v: unknown) =>
  !!v && typeof v === 'object' && Object.values(v).every((x) => x == null || x === false || x === '');

/** Only the fields the input takes (create-only ones are not in the update input), and on update only those that changed. */
function inputOf(input: string, data: Record<string, unknown>, previous?: Record<string, unknown>) {
  const allowed = fieldsOfType(input);
  const fields = (schema.getType(input) as GraphQLInputObjectType | undefined)?.getFields() ?? {};
  const isObject = (k: string) => !!fields[k] && isInputObjectType(getNullableType(fields[k].type));
  return Object.fromEntries(
    Object.entries(data)
      .map(([k, v]) => [k, isObject(k) && blank(v) ? null : v] as const)
      .filter(([k, v]) => allowed.includes(k) && (!previous || JSON.stringify(v) !== JSON.stringify(previous[k]))),
  );
}

export interface ConflictEvent {
  resource: string;
  id: string;
  currentRevision: number;
}
/** Conflicts (someone saved first), for the edit form that caused them to offer a reload. */
export const conflicts = (() => {
  const listeners = new Set<(e: ConflictEvent) => void>();
  return {
    emit: (e: ConflictEvent) => listeners.forEach((l) => l(e)),
    subscribe: (l: (e: ConflictEvent) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
})();

/** The mutation's result type, e.g. createApiKey gives an IssuedApiKey (the key, shown once, and the record). */
const resultSelection = (mutation: string, type: string) => {
  const result = getNamedType((schema.getMutationType() as GraphQLObjectType).getFields()[mutation].type).name;
  return result === type
    ? selection(type)
    : `record: ${type[0].toLowerCase() + type.slice(1)} { ${selection(type)} } ${selection(result)}`;
};
const unwrap = (item: Record<string, any>) =>
  item.record
    ? {
        ...item.record,
        ...Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'record' && typeof item[k] !== 'object')),
      }
    : item;

/** A field-level error from the server, in the shape React-Admin shows next to each input. */
function translate(e: unknown, resource?: string, id?: string): never {
  if (e instanceof GraphQLRequestError && e.code === 'BAD_USER_INPUT' && Array.isArray(e.extensions.problems)) {
    const errors: Record<string, string> = {};
    for (const p of e.extensions.problems as { path: string; message: string }[])
      errors[p.path.replace(/^input\./, '')] = p.message;
    throw Object.assign(new Error(e.message), { body: { errors }, status: 400 });
  }
  if (e instanceof GraphQLRequestError && e.code === 'CONFLICT') {
    if (resource && id) conflicts.emit({ resource, id, currentRevision: e.extensions.currentRevision });
    throw Object.assign(
      new Error(
        `Someone saved this record first (it is now at revision ${e.extensions.currentRevision}). Your changes are still in the form: reload to see theirs, then apply yours again.`,
      ),
      { status: 409 },
    );
  }
  throw e;
}

export const dataProvider: DataProvider = {
  async getList(resource, params) {
    // Before sign-in the page is about to go to the sign-in form: nothing to fetch.
    if (!session.active()) return { data: [], total: 0 };
    const n = names(resource);
    const allowed = fieldsOfType(n.filter);
    const filter = Object.fromEntries(
      Object.entries(params.filter ?? {}).filter(([k, v]) => allowed.includes(k) && v !== '' && v !== undefined),
    );
    const { page = 1, perPage = 25 } = params.pagination ?? {};
    const sort =
      params.sort?.field && params.sort.field !== 'id'
        ? [{ field: params.sort.field, order: params.sort.order }]
        : null;
    const data = await gql(
      `query($filter: ${n.filter}, $sort: [${n.sort}!], $offset: Int, $limit: Int) { items: ${n.plural}(filter: $filter, sort: $sort, offset: $offset, limit: $limit) { ${selection(n.type)} } total: ${n.one}Count(filter: $filter) }`,
      { filter, sort, offset: (page - 1) * perPage, limit: perPage },
    ).catch((e) => translate(e));
    return { data: data.items, total: data.total };
  },

  async getOne(resource, params) {
    const n = names(resource);
    const data = await gql(`query($id: ID!) { item: ${n.one}(id: $id) { ${selection(n.type)} } }`, {
      id: params.id,
    }).catch((e) => translate(e));
    return { data: data.item };
  },

  async getMany(resource, params) {
    const n = names(resource);
    const data = await gql(
      `query($ids: [ID!]) { items: ${n.plural}(filter: { ids: $ids }, limit: 500) { ${selection(n.type)} } }`,
      { ids: params.ids },
    );
    return { data: data.items };
  },

  async getManyReference(resource, params) {
    return dataProvider.getList(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } });
  },

  async create(resource, params) {
    const n = names(resource);
    const data = await gql(
      `mutation($input: ${n.create}!, $reason: String) { item: create${n.type}(input: $input, reason: $reason) { ${resultSelection(`create${n.type}`, n.type)} } }`,
      {
        input: inputOf(n.create, params.data),
        reason: reasonOf(params.data),
      },
    ).catch((e) => translate(e));
    return { data: unwrap(data.item) };
  },

  async update(resource, params) {
    const n = names(resource);
    const previous = params.previousData as unknown as RaRecord & { revision: number };
    const data = await gql(
      `mutation($id: ID!, $rev: Int!, $input: ${n.update}!, $reason: String) { item: update${n.type}(id: $id, expectedRevision: $rev, input: $input, reason: $reason) { ${selection(n.type)} } }`,
      {
        id: params.id,
        rev: previous.revision,
        input: inputOf(n.update, params.data, previous),
        reason: reasonOf(params.data),
      },
    ).catch((e) => translate(e, resource, String(params.id)));
    return { data: data.item };
  },

  async updateMany() {
    throw new Error('Edit records one at a time: each edit names the revision it was based on.');
  },

  async delete(resource, params) {
    const n = names(resource);
    const previous = params.previousData as unknown as RaRecord & { revision: number };
    const data = await gql(
      `mutation($id: ID!, $rev: Int!, $reason: String) { item: delete${n.type}(id: $id, expectedRevision: $rev, reason: $reason) { id } }`,
      {
        id: params.id,
        rev: previous.revision,
        reason: params.meta?.reason ?? null,
      },
    ).catch((e) => translate(e, resource, String(params.id)));
    return { data: data.item };
  },

  async deleteMany() {
    throw new Error('Delete records one at a time: each deletion names the revision it was based on.');
  },
};
