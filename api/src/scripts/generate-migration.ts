import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createDataSource } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded';
import { loadConfig } from '../config';
import { PROJECT_ROOT } from '../paths';

/**
 * `npm run migration:generate -- <kebab-name>`: applies the existing
 * migrations to the configured database, then writes a migration with the
 * SQL that brings it to the entities' shape, for review before commit.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    throw new Error('usage: npm run migration:generate -- <kebab-case-name>');
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(config.dataDir, undefined, 'icp_migrations');
  const ds = createDataSource({ url: config.databaseUrl ?? embedded!.url, poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const sql = await ds.driver.createSchemaBuilder().log();
    if (!sql.upQueries.length) {
      console.log('The database already matches the entities: no migration written.');
      return;
    }
    const stamp = Date.now();
    const className = name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()) + stamp;
    const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const down = [...sql.downQueries]
      .reverse()
      .map((x) => `    await queryRunner.query(${q(x.query)});`)
      .join('\n');
    const file = path.join(PROJECT_ROOT, 'migrations', `${stamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`wrote ${path.relative(PROJECT_ROOT, file)}: review it before committing`);
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
