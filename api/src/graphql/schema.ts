import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { guardDraftFields } from '../auth/draft-guard';
import { RESOLVERS } from '../modules';
import { PROJECT_ROOT } from '../paths';

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

let built: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process from the module registry; draft fields refuse clients at resolution. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false }).then(guardDraftFields);
  return built;
}
