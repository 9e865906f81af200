import { buildSchema, getNamedType, type GraphQLObjectType, isEnumType, isObjectType, isScalarType } from 'graphql';
import schemaText from '../../../schema.graphql?raw';

/** The API's schema, from the committed schema.graphql (production servers turn introspection off). */
export const schema = buildSchema(schemaText);

const SIGNED_IN = 'icp.signedIn';
const WORKSPACE = 'icp.workspace';
/**
 * The session itself is the server's HttpOnly icp_session cookie, which no
 * script can read; the browser keeps only a hint that one was set, so a
 * signed-out console goes to the sign-in form without asking the server.
 */
export const session = {
  active: () => localStorage.getItem(SIGNED_IN) === '1',
  started: () => localStorage.setItem(SIGNED_IN, '1'),
  clear: () => {
    localStorage.removeItem(SIGNED_IN);
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

/** POSTs one operation (the browser adds the session cookie: same origin); the first error becomes a GraphQLRequestError. */
export async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const workspace = session.active() ? session.workspace() : null;

  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(workspace ? { 'x-workspace': workspace } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }));
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLRequestError(
      e.message,
      e.extensions?.code,
      e.extensions ?? {},
      e.extensions?.code === 'UNAUTHENTICATED' ? 401 : res.status,
    );
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
