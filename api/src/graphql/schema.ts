import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { guardFields } from '../auth/field-guard';
import { RESOLVERS } from '../modules';
import { PROJECT_ROOT } from '../paths';

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

let built: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process from the module registry; nested fields a role may not read are refused field by field. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false }).then(guardFields);
  return built;
}
