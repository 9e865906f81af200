import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, printSchema } from 'graphql';
import config from '../../codegen';

const ROOT = path.resolve(__dirname, '../..');
const OUTPUT = 'admin/src/generated/graphql.ts';

// The console's API types must follow the schema: regenerated in memory, from codegen.ts, and compared with the committed file.
it(`${OUTPUT} is what \`npm run codegen\` makes of schema.graphql`, async () => {
  // ES modules: loaded the way Node loads them (jest runs with --experimental-vm-modules).
  const [{ codegen }, add, typescript] = await Promise.all([
    import('@graphql-codegen/core'),
    import('@graphql-codegen/add'),
    import('@graphql-codegen/typescript'),
  ]);
  const target = (config.generates as Record<string, { plugins: unknown[]; config: Record<string, unknown> }>)[OUTPUT];
  const schema = buildSchema(fs.readFileSync(path.join(ROOT, config.schema as string), 'utf8'));
  const generated = await codegen({
    filename: OUTPUT,
    schema: parse(printSchema(schema)),
    schemaAst: schema,
    documents: [],
    config: target.config,
    plugins: target.plugins.map((p) => (typeof p === 'string' ? { [p]: {} } : (p as Record<string, object>))),
    pluginMap: { add, typescript },
  });
  const committed = fs.readFileSync(path.join(ROOT, OUTPUT), 'utf8');
  // Not toBe: a stale file would print 80 kB; the message says what to do.
  expect(committed === generated ? 'up to date' : 'stale: run npm run codegen').toBe('up to date');
});
