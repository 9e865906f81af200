import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Client } from 'pg';
import { readYaml } from '../../api/src/demo/load-demo';
import { type AttributeSpec, checkerFor } from '../../api/src/scoring-engine/cel';
import { compileModel } from '../../api/src/scoring-engine/engine';
import { snapshotFromFile } from '../../api/src/scoring-engine/from-file';
import { exportSql, sqlType } from '../../api/src/sql-export/export-sql';
import { createTestDatabase } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { candidateValues, generateAccounts, targets } from '../fixtures/generated-accounts';
import { expected, actual } from '../fixtures/sql-scores';

/**
 * Issue 19, part 2: the SQL a published version exports computes what the
 * engine computes. The same 100,000 generated accounts per demo ICP (every
 * tier, band and disqualifier reached, boundary values, missing attributes)
 * are scored by the engine and by the emitted view on PostgreSQL (this test's
 * database) and on DuckDB (in process): 0 differences, field by field.
 */
type Row = Record<string, any>;
const N = 100_000;
const SLUGS = ['itsm', 'make-enterprise', 'ml-inference', 'driftsentry'];
const catalogue = (readYaml('workspace.yaml') as { attributes: AttributeSpec[] }).attributes;

interface Case {
  slug: string;
  snapshot: Row;
  accounts: { key: string; attributes: Row }[];
  expected: Map<string, Row>;
  columns: AttributeSpec[];
}

async function prepare(slug: string): Promise<Case> {
  const snapshot = snapshotFromFile(readYaml(`${slug}.icp.yaml`) as Row, catalogue);
  const checker = await checkerFor(catalogue);
  const model = compileModel({ icpId: snapshot.icp.id, icpSlug: slug, version: 1, snapshot }, checker);
  const candidates = candidateValues(catalogue, snapshot);
  const accounts = generateAccounts(candidates, N, 19 + slug.length, targets(checker, snapshot, candidates));
  const scores = new Map(accounts.map((a) => [a.key, expected(model.score(a))]));
  return { slug, snapshot, accounts, expected: scores, columns: catalogue.filter((a) => candidates.has(a.name)) };
}

/** Loads accounts into a DuckDB table through NDJSON (`columns`: the attributes as DuckDB types). */
async function duckTable(duck: DuckConnection, file: string, table: string, c: Pick<Case, 'accounts' | 'columns'>) {
  fs.writeFileSync(file, c.accounts.map((a) => JSON.stringify({ id: a.key, ...a.attributes })).join('\n'));
  const columns = c.columns.map((a) => `'${a.name}': '${sqlType('duckdb', a.type)}'`).join(', ');
  await duck.run(
    `CREATE TABLE ${table} AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {'id': 'VARCHAR', ${columns}})`,
  );
}
type DuckConnection = Awaited<ReturnType<DuckDBInstance['connect']>>;

function sqlFor(c: Case, dialect: string, table: string) {
  const source = { icpId: c.snapshot.icp.id, icpSlug: c.slug, version: 1, snapshot: c.snapshot };
  return checkerFor(catalogue).then((checker) =>
    exportSql(source, checker, { dialect, table, view: `${table}_scores`, key: 'id', snapshotHash: 'test' }),
  );
}

/** The differences between the engine's and the view's rows, at most 5 described. */
function differences(c: Case, rows: Row[], dims: string[]): { count: number; first: string[] } {
  let count = 0;
  const first: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    seen.add(r.id);
    const want = c.expected.get(r.id);
    const got = actual(r, dims);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      count++;
      if (first.length < 5)
        first.push(
          `${r.id} ${JSON.stringify(c.accounts[Number(String(r.id).slice(1))].attributes)}\n  engine ${JSON.stringify(want)}\n  sql    ${JSON.stringify(got)}`,
        );
    }
  }
  return { count: count + (c.expected.size - seen.size), first };
}

/** The dimension score columns of a view's row (score_<name>, in the view's order). */
const dimColumns = (row: Row) => Object.keys(row).filter((k) => k.startsWith('score_'));

/** Every tier, band and disqualifier appears among the engine's results, with undetermined and nearest-tier accounts. */
function expectCoverage(c: Case): void {
  const results = [...c.expected.values()];
  const has = (f: (r: Row) => boolean) => results.some(f);
  for (const t of (c.snapshot.tiers as Row[]).filter((x) => x.criteria))
    expect([t.name, has((r) => r.tier === t.name)]).toEqual([t.name, true]);
  for (const b of c.snapshot.actionBands as Row[])
    expect([b.name, has((r) => r.band === b.name)]).toEqual([b.name, true]);
  for (const d of (c.snapshot.disqualifiers as Row[]).filter((x) => x.expression))
    expect([d.name, has((r) => r.disqualifier === d.name)]).toEqual([d.name, true]);
  expect(has((r) => r.undetermined)).toBe(true);
  expect(has((r) => r.nearest_tier !== null)).toBe(true);
  expect(has((r) => r.tier === null && !r.disqualified && !r.undetermined)).toBe(true);
}

describe('SQL export: the emitted view scores as the engine does (issue 19)', () => {
  let pgUrl: string;
  let duck: DuckConnection;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-sql-export-'));

  beforeAll(async () => {
    pgUrl = await createTestDatabase();
    duck = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe.each(SLUGS)('%s', (slug) => {
    let c: Case;
    beforeAll(async () => {
      c = await prepare(slug);
    });

    it('reaches every tier, band and disqualifier, with undetermined accounts', () => {
      expectCoverage(c);
    });

    it(`PostgreSQL: ${N.toLocaleString('en')} accounts, 0 differences`, async () => {
      const table = `accounts_${slug.replace(/-/g, '_')}`;
      const pg = new Client({ connectionString: pgUrl });
      await pg.connect();
      try {
        const cols = c.columns.map((a) => `"${a.name}" ${sqlType('postgres', a.type)}`);
        await pg.query(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, ${cols.join(', ')})`);
        for (let i = 0; i < c.accounts.length; i += 20_000) {
          const rows = c.accounts.slice(i, i + 20_000).map((a) => ({ id: a.key, ...a.attributes }));
          await pg.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1)`, [
            JSON.stringify(rows),
          ]);
        }
        await pg.query(await sqlFor(c, 'postgres', table));
        const { rows } = await pg.query(`SELECT * FROM ${table}_scores`);
        const diff = differences(c, rows, dimColumns(rows[0]));
        expect(diff.first).toEqual([]);
        expect(diff.count).toBe(0);
        expect(rows).toHaveLength(N);
      } finally {
        await pg.end();
      }
    });

    it(`DuckDB: ${N.toLocaleString('en')} accounts, 0 differences`, async () => {
      const table = `accounts_${slug.replace(/-/g, '_')}`;
      await duckTable(duck, path.join(tmp, `${table}.ndjson`), table, c);
      await duck.run(await sqlFor(c, 'duckdb', table));
      const reader = await duck.runAndReadAll(`SELECT * FROM ${table}_scores`);
      const rows = reader.getRowObjectsJson() as Row[];
      const diff = differences(c, rows, dimColumns(rows[0]));
      expect(diff.first).toEqual([]);
      expect(diff.count).toBe(0);
      expect(rows).toHaveLength(N);
    });
  });
});

describe('exportIcpSql and its refusals, through GraphQL', () => {
  let t: TestServer;
  let client: Record<string, string>;
  const EXPORT = `query($icp: String!, $d: SqlDialect!, $v: Int, $table: String, $key: String) {
    exportIcpSql(icp: $icp, dialect: $d, version: $v, table: $table, key: $key) { icpSlug version snapshotHash dialect filename sql } }`;

  beforeAll(async () => {
    t = await startTestServer();
    const { createApiKey } = await t.ok(
      `mutation { createApiKey(input: { name: "warehouse", role: CLIENT }) { key } }`,
    );
    client = { authorization: `Bearer ${createApiKey.key}` };
  });
  afterAll(() => t.close());

  it('a CLIENT key exports a published version whose header names it and whose view scores as the engine', async () => {
    const { exportIcpSql: x } = await t.ok(EXPORT, { icp: 'ml-inference', d: 'DUCKDB', table: 'crm_accounts' }, client);
    const { icpVersion } = await t.ok(
      `{ icpVersion(icp: "ml-inference") { version snapshotHash snapshotText icpId } }`,
      {},
      client,
    );
    expect(x).toMatchObject({
      icpSlug: 'ml-inference',
      version: icpVersion.version,
      snapshotHash: icpVersion.snapshotHash,
      dialect: 'DUCKDB',
      filename: `ml-inference-v${icpVersion.version}.duckdb.sql`,
    });
    expect(x.sql).toContain(
      ` * Version: ${icpVersion.version}\n * Snapshot hash (SHA-256): ${icpVersion.snapshotHash}\n`,
    );
    // The published snapshot, scored by the engine and by the exported view on DuckDB.
    const snapshot = JSON.parse(icpVersion.snapshotText) as Row;
    const checker = await checkerFor(snapshot.attributes);
    const model = compileModel(
      { icpId: icpVersion.icpId, icpSlug: 'ml-inference', version: icpVersion.version, snapshot },
      checker,
    );
    const candidates = candidateValues(snapshot.attributes, snapshot);
    const accounts = generateAccounts(candidates, 2000, 7, targets(checker, snapshot, candidates));
    const c = {
      accounts,
      columns: (snapshot.attributes as AttributeSpec[]).filter((a) => candidates.has(a.name)),
      expected: new Map(accounts.map((a) => [a.key, expected(model.score(a))])),
    } as Case;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-sql-export-gql-'));
    try {
      const duck = await (await DuckDBInstance.create(':memory:')).connect();
      await duckTable(duck, path.join(tmp, 'a.ndjson'), 'crm_accounts', c);
      await duck.run(x.sql);
      const rows = (
        await duck.runAndReadAll(`SELECT * FROM ml_inference_v${icpVersion.version}_scores`)
      ).getRowObjectsJson() as Row[];
      expect(differences(c, rows, dimColumns(rows[0]))).toEqual({ count: 0, first: [] });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses a table name that is not a plain name, naming the argument', async () => {
    const res = await t.gql(EXPORT, { icp: 'itsm', d: 'SNOWFLAKE', table: 'accounts; DROP TABLE x' }, client);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('table: "accounts; DROP TABLE x" is not a name');
  });

  it('refuses a version with an expression SQL cannot compute faithfully, naming the part and the characters', async () => {
    const icpId = (await t.ok('{ icps(filter: { slug: "itsm" }) { id } }')).icps[0].id;
    const criteria = 'account.employees / 2 > 1000000000'; // holds for no example account
    await t.ok(`mutation($i: CreateTierInput!) { createTier(input: $i) { id } }`, {
      i: { icpId, name: 'Halved', rank: 90, criteria },
    });
    const { publishIcp } = await t.ok(
      `mutation { publishIcp(icp: "itsm", changelog: "A tier SQL cannot hold") { version } }`,
    );
    const res = await t.gql(EXPORT, { icp: 'itsm', d: 'POSTGRES', v: publishIcp.version }, client);
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.problems).toEqual([
      expect.objectContaining({ path: 'tier "Halved" criteria', expression: criteria, start: 0, end: 21 }),
    ]);
    // The version before it still exports.
    expect(
      (await t.ok(EXPORT, { icp: 'itsm', d: 'POSTGRES', v: publishIcp.version - 1 }, client)).exportIcpSql.version,
    ).toBe(publishIcp.version - 1);
  });
});
