import 'reflect-metadata';
import fs from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema, SCHEMA_FILE } from '../graphql/schema';

// Writes the committed schema.graphql; a test fails when it is out of date.
export async function printedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}

if (require.main === module) {
  printedSchema().then((sdl) => {
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  });
}
