import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { guardFields } from '../auth/field-guard';
import { directResolvers } from '../fit-score/fit-score.resolver';
import { resolvedEarly } from './early-result';
import { RESOLVERS } from '../modules';
import { PROJECT_ROOT } from '../paths';

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

let built: Promise<GraphQLSchema> | undefined;

/** type-graphql makes the root types without descriptions; the contract describes every type. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query)
    query.description =
      'Reads. Everything is scoped to the workspace chosen by the x-workspace header (default: your first) and to what your role may read.';
  if (mutation)
    mutation.description =
      'Changes. Each is one transaction, written to the history with who, when and the optional reason; a refused change writes nothing.';
  return schema;
}

/** The hot queries: resolved without type-graphql's argument copying (see directResolvers), and early when plain. */
export const EARLY_FIELDS = Object.keys(directResolvers());

function resolveDirectly(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getQueryType()!.getFields();
  for (const [name, resolve] of Object.entries(directResolvers())) fields[name].resolve = resolvedEarly(resolve);
  return schema;
}

/** The schema is built once per process from the module registry; nested fields a role may not read are refused field by field. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false })
    .then(guardFields)
    .then(resolveDirectly)
    .then(describeRoots);
  return built;
}
