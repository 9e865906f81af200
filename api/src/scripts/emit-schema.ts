import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema, SCHEMA_FILE } from '../graphql/schema';
import { ICP_SCHEMA_FILE, printedIcpSchema } from '../modules/icp-file/icp-file.schema';

// Writes the committed schema.graphql and schema/icp.schema.json; tests fail when they are out of date.
export async function printedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}

if (require.main === module) {
  void printedSchema().then((sdl) => {
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
    // The ICP file's JSON Schema comes from the same input rules.
    fs.mkdirSync(path.dirname(ICP_SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(ICP_SCHEMA_FILE, printedIcpSchema());
    console.log(`wrote ${ICP_SCHEMA_FILE}`);
  });
}
