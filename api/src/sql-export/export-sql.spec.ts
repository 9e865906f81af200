import fs from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { readYaml } from '../demo/load-demo';
import { type AttributeSpec, checkerFor } from '../scoring-engine/cel';
import { snapshotFromFile } from '../scoring-engine/from-file';
import { DIALECTS } from './dialects';
import { exportSql, SqlExportError } from './export-sql';

type Row = Record<string, any>;
const catalogue = (readYaml('workspace.yaml') as { attributes: AttributeSpec[] }).attributes;
const SLUGS = ['itsm', 'make-enterprise', 'ml-inference', 'driftsentry'];
const GOLDEN = path.resolve(__dirname, '../../../tests/fixtures/sql-export');
const AT = new Date('2026-12-01T00:00:00.000Z');

async function exported(slug: string, dialect: string, file?: Row): Promise<string> {
  const snapshot = snapshotFromFile(file ?? (readYaml(`${slug}.icp.yaml`) as Row), catalogue);
  const source = { icpId: snapshot.icp.id, icpSlug: slug, version: 1, snapshot };
  return exportSql(source, await checkerFor(catalogue), {
    dialect,
    table: 'crm.accounts',
    snapshotHash: 'f'.repeat(64),
    generatedAt: AT,
  });
}

/**
 * The dialects that are not executed here are parsed by node-sql-parser with
 * that dialect's grammar and compared with golden files
 * (tests/fixtures/sql-export/<slug>.<dialect>.sql; ICP_UPDATE_GOLDEN=1 rewrites them).
 * Spark SQL: Hive's grammar, the closest node-sql-parser has (Spark's SQL grew
 * out of HiveQL); it has no CREATE VIEW, so the view's query is parsed.
 */
const PARSER: Record<string, { database: string; query?: boolean }> = {
  bigquery: { database: 'bigquery' },
  snowflake: { database: 'snowflake' },
  spark: { database: 'hive', query: true },
};
/** The statement as parsed: the whole text, or only the view's query (from WITH). */
const parsed = (sql: string, query?: boolean) => (query ? sql.slice(sql.indexOf('\nWITH\n') + 1) : sql);

describe('SQL export: dialects parsed and compared with golden files', () => {
  const parser = new Parser();
  describe.each(SLUGS)('%s', (slug) => {
    it.each(Object.keys(PARSER))('%s parses and matches its golden file', async (dialect) => {
      const sql = await exported(slug, dialect);
      const { database, query } = PARSER[dialect];
      expect(() => parser.astify(parsed(sql, query), { database })).not.toThrow();
      const golden = path.join(GOLDEN, `${slug}.${dialect}.sql`);
      if (process.env.ICP_UPDATE_GOLDEN) fs.writeFileSync(golden, sql);
      expect(sql).toBe(fs.readFileSync(golden, 'utf8'));
    });
  });

  it('every dialect carries the version-pinned header', async () => {
    for (const dialect of DIALECTS) {
      const sql = await exported('itsm', dialect);
      expect(sql.split('\n').slice(0, 6)).toEqual([
        '/*',
        expect.stringMatching(/^ \* ICP: .+ \(itsm, id [0-9a-f-]{36}\)$/),
        ' * Version: 1',
        ` * Snapshot hash (SHA-256): ${'f'.repeat(64)}`,
        ' * Generated at: 2026-12-01T00:00:00.000Z',
        ` * Dialect: ${dialect}`,
      ]);
    }
  });
});

describe('SQL export: refusals', () => {
  let checker: Awaited<ReturnType<typeof checkerFor>>;
  beforeAll(async () => {
    checker = await checkerFor(catalogue);
  });
  const file = (criteria: string, points = '1.0') => ({
    slug: 't',
    name: 'T',
    tiers: [
      { name: 'Fine', rank: 1, criteria: 'account.employees >= 10' },
      { name: 'Odd', rank: 2, criteria },
    ],
    scoring: {
      dimensions: [{ name: 'Fit', max: 10, rules: [{ name: 'r', condition: 'account.isMsp', points }] }],
      bands: [{ name: 'any', minScore: 0, action: 'go' }],
    },
  });

  it('refuses an expression it cannot translate faithfully, naming the part and where', async () => {
    // Integer division: an error on a zero divisor in CEL, NULL or an error in SQL.
    const criteria = 'account.isMsp && account.employees / account.devopsTeamSize > 3';
    const error = await exported('t', 'postgres', file(criteria)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlExportError);
    const [problem] = (error as SqlExportError).problems;
    expect(problem).toMatchObject({ part: 'tier "Odd" criteria', expression: criteria });
    expect(criteria.slice(problem.start, problem.end)).toBe('account.employees / account.devopsTeamSize');
    expect((error as Error).message).toContain('"account.employees / account.devopsTeamSize"');
  });

  it.each([
    ['account.industry < "M"', 'account.industry < "M"'],
    ['int(account.country) > 3', 'int(account.country)'],
    ["account.industry.matches('^S')", "account.industry.matches('^S')"],
    ['account.currentTools.exists(t, t == account.industry)', 'account.industry'],
    ['account.annualRevenueUsd * 2.0 > 1.0', 'account.annualRevenueUsd * 2.0'],
    ['size(account.industry) > 3', 'size(account.industry)'],
  ])('refuses %s at %s', async (criteria, at) => {
    const error = await exported('t', 'duckdb', file(criteria)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlExportError);
    const [problem] = (error as SqlExportError).problems;
    expect(criteria.slice(problem.start, problem.end)).toBe(at);
  });

  it('refuses in Spark SQL a comprehension its set functions cannot express, and exports it elsewhere', async () => {
    const criteria = "account.currentTools.exists_one(t, t == 'excel')";
    const error = await exported('t', 'spark', file(criteria)).catch((e: unknown) => e);
    expect(criteria.slice(...(['start', 'end'] as const).map((k) => (error as SqlExportError).problems[0][k]))).toBe(
      criteria,
    );
    expect(await exported('t', 'duckdb', file(criteria))).toContain('LIST_FILTER(a."currentTools"');
  });

  it('refuses points it cannot translate, and lists every problem at once', async () => {
    const error = await exported('t', 'spark', file('int(account.country) > 3', 'account.employees * 2')).catch(
      (e: unknown) => e,
    );
    expect((error as SqlExportError).problems.map((p) => p.part)).toEqual(['tier "Odd" criteria', 'rule "r" points']);
  });

  it('refuses a key column the view also computes', async () => {
    const snapshot = snapshotFromFile(readYaml('itsm.icp.yaml') as Row, catalogue);
    const source = { icpId: snapshot.icp.id, icpSlug: 'itsm', version: 1, snapshot };
    expect(() => exportSql(source, checker, { dialect: 'postgres', key: 'Score' })).toThrow(
      'key: "Score" is also a column the view computes',
    );
  });

  it('refuses an unknown dialect', async () => {
    await expect(exported('itsm', 'oracle')).rejects.toThrow(
      'unknown SQL dialect "oracle": one of postgres, duckdb, bigquery, snowflake, spark',
    );
  });
});

describe('SQL export: the header comment', () => {
  it('stays one comment whatever the ICP is called: "/*" and "*/" in a name neither nest nor end it', async () => {
    const file = readYaml('ml-inference.icp.yaml') as Row;
    file.name = 'Infra /* EU */ APAC';
    const sql = await exported('ml-inference', 'duckdb', file);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    // The header alone, then a statement: PostgreSQL and DuckDB nest block comments.
    const header = sql.slice(0, sql.indexOf('\n */') + 4);
    const rows = await c.runAndReadAll(`${header}\nSELECT 42 AS answer`);
    expect(rows.getRows()).toEqual([[42]]);
    expect(header).toContain('Infra / * EU * / APAC');
  });
});
