import fs from 'node:fs';
import { SCHEMA_FILE } from '../../api/src/graphql/schema';
import { printedSchema } from '../../api/src/scripts/emit-schema';

it('the committed schema.graphql is the schema the code builds (run `npm run schema` after an API change)', async () => {
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printedSchema());
});
