import { buildSchema, getNamedType, GraphQLObjectType, isEnumType, isObjectType, isScalarType } from 'graphql';
import schemaText from '../../../schema.graphql?raw';

/** The API's schema, from the committed schema.graphql (production servers turn introspection off). */
export const schema = buildSchema(schemaText);

const TOKEN = 'icp.token';
const WORKSPACE = 'icp.workspace';
export const session = {
  get: () => localStorage.getItem(TOKEN),
  set: (token: string) => localStorage.setItem(TOKEN, token),
  clear: () => {
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(WORKSPACE);
  },
  /** The workspace chosen in the console (sent as x-workspace); none: the user's first. */
  workspace: () => localStorage.getItem(WORKSPACE),
  setWorkspace: (slug: string) => localStorage.setItem(WORKSPACE, slug),
};

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, any>,
    readonly status: number,
  ) {
    super(message);
  }
}

/** POSTs one operation with the session token; the first error becomes a GraphQLRequestError. */
export async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = session.get();
  const workspace = session.workspace();

  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(token && workspace ? { 'x-workspace': workspace } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }));
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLRequestError(e.message, e.extensions?.code, e.extensions ?? {}, e.extensions?.code === 'UNAUTHENTICATED' ? 401 : res.status);
  }
  return body.data as T;
}

/**
 * The fields to ask for on a type: every scalar and enum, and the scalar
 * fields of small value objects (labelled values, criteria); relations are
 * left to the pages that show them.
 */
export function selection(typeName: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.length) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
    else if (isObjectType(named) && !named.getFields().id) {
      const leaves = Object.values(named.getFields()).filter((f) => {
        const n = getNamedType(f.type);
        return isScalarType(n) || isEnumType(n);
      });
      parts.push(`${field.name} { ${leaves.map((f) => f.name).join(' ')} }`);
    }
  }
  return parts.join(' ');
}
