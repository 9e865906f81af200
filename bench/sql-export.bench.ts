import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readYaml } from '../api/src/demo/load-demo';
import { type AttributeSpec, checkerFor } from '../api/src/scoring-engine/cel';
import { compileModel } from '../api/src/scoring-engine/engine';
import { snapshotFromFile } from '../api/src/scoring-engine/from-file';
import { DIALECT } from '../api/src/sql-export/dialects';
import { exportSql, sqlType } from '../api/src/sql-export/export-sql';
import { candidateValues, generateAccounts } from '../tests/fixtures/generated-accounts';
import { actual, expected } from '../tests/fixtures/sql-scores';
import type { BenchOptions } from './engine-comparison';
import { fmt, loadAverage, summarize } from './harness';

/**
 * `npm run bench -- sql-export` (issue 19): ml-inference's published model as
 * the exported DuckDB view, scoring 10,000,000 generated accounts in DuckDB
 * (in process, its own threads), beside the engine scoring as many accounts
 * drawn from the same values in this process (one thread). The accounts'
 * values: each attribute's candidates (tests/fixtures/generated-accounts.ts),
 * missing one time in eight; in DuckDB drawn by hash(row, attribute) in SQL,
 * so 10 million rows never pass through JavaScript. Before timing, a sample of
 * the DuckDB rows is scored by the engine too and must agree with the view.
 */
type Row = Record<string, any>;

const FULL = { accounts: 10_000_000, sample: 20_000 };
const QUICK = { accounts: 1_000_000, sample: 5_000 };
const CHUNK = 100_000;

/** A DuckDB list literal of an attribute's candidate values. */
function listLiteral(values: unknown[], type: AttributeSpec['type']): string {
  const d = DIALECT.duckdb;
  const one = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(one).join(', ')}]` : typeof v === 'string' ? d.string(v) : String(v);
  return `CAST([${values.map(one).join(', ')}] AS ${sqlType('duckdb', type)}[])`;
}

export async function sqlExportBench(options: BenchOptions = {}): Promise<string> {
  const load = loadAverage();
  const size = options.quick ? QUICK : FULL;
  const catalogue = (readYaml('workspace.yaml') as { attributes: AttributeSpec[] }).attributes;
  const snapshot = snapshotFromFile(readYaml('ml-inference.icp.yaml') as Row, catalogue);
  const checker = await checkerFor(catalogue);
  const source = { icpId: snapshot.icp.id, icpSlug: 'ml-inference', version: 1, snapshot };
  const model = compileModel(source, checker);
  const candidates = candidateValues(catalogue, snapshot);
  const columns = catalogue.filter((a) => candidates.has(a.name));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-bench-sql-'));
  const instance = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
  const duck = await instance.connect();
  try {
    const draws = columns.map((a, k) => {
      const values = candidates.get(a.name)!;
      const pick = `${listLiteral(values, a.type)}[1 + CAST(hash(i, ${2 * k + 1}) % ${values.length} AS BIGINT)]`;
      return `CASE WHEN hash(i, ${2 * k}) % 8 = 0 THEN NULL ELSE ${pick} END AS "${a.name}"`;
    });
    let t0 = performance.now();
    await duck.run(
      `CREATE TABLE accounts AS SELECT 'a' || i AS id, ${draws.join(', ')} FROM range(${size.accounts}) AS t(i)`,
    );
    const generateMs = performance.now() - t0;
    await duck.run(exportSql(source, checker, { dialect: 'duckdb', table: 'accounts', view: 'scores' }));

    // The sample: the same rows scored by the engine and by the view.
    const sample = (
      await duck.runAndReadAll(
        `SELECT a.*, s.* EXCLUDE (id) FROM (SELECT * FROM accounts LIMIT ${size.sample}) a JOIN scores s USING (id)`,
      )
    ).getRowObjectsJS() as Row[];
    const dims = Object.keys(sample[0]).filter((k) => k.startsWith('score_'));
    let differences = 0;
    for (const r of sample) {
      const attributes: Row = {};
      for (const a of columns) {
        const v = r[a.name];
        if (v !== null) attributes[a.name] = typeof v === 'bigint' ? Number(v) : v;
      }
      const want = expected(model.score({ key: r.id, attributes }));
      const got = actual(r, dims);
      if (JSON.stringify(want) !== JSON.stringify(got)) differences++;
    }
    if (differences) throw new Error(`sql-export bench: ${differences} of ${sample.length} sample rows differ`);

    // DuckDB: the whole view materialized (every column of every row).
    t0 = performance.now();
    await duck.run('CREATE TABLE scored AS SELECT * FROM scores');
    const duckMs = performance.now() - t0;
    const counted = Number((await duck.runAndReadAll('SELECT count(*) AS n FROM scored')).getRowObjectsJS()[0].n);

    // The engine: the same number of accounts, generated a chunk at a time outside the timing.
    let engineMs = 0;
    let sink = 0;
    for (let start = 0; start < size.accounts; start += CHUNK) {
      const accounts = generateAccounts(candidates, Math.min(CHUNK, size.accounts - start), 1 + start / CHUNK);
      t0 = performance.now();
      for (const a of accounts) sink += model.score(a).score;
      engineMs += performance.now() - t0;
    }
    if (Number.isNaN(sink)) throw new Error('unreachable: keeps the scores from being optimised away');

    const rate = (ms: number) => Math.round((size.accounts / ms) * 1000).toLocaleString('en');
    const n = size.accounts.toLocaleString('en');
    summarize(`sql-export: DuckDB ${fmt(duckMs / 1000, 1)} s, engine ${fmt(engineMs / 1000, 1)} s for ${n} accounts`);
    return [
      `## Scoring in the warehouse: the exported SQL on DuckDB (issue 19)${options.quick ? ' (quick run: 1,000,000 accounts)' : ''}`,
      '',
      `Load average at the start: ${load} (other benchmarks and test suites share the 2 cores).`,
      '',
      `ml-inference's model exported as a DuckDB view (\`exportSql\`, dialect duckdb), over ${n} generated accounts in a DuckDB table on disk; ` +
        `the engine scores as many accounts drawn from the same values, in this process. ` +
        `Before timing, ${size.sample.toLocaleString('en')} of DuckDB's rows were scored by both: ${differences} differences.`,
      '',
      '| scorer | accounts | time | accounts/s | threads |',
      '|---|---|---|---|---|',
      `| DuckDB, the exported view materialized (CREATE TABLE AS SELECT *) | ${counted.toLocaleString('en')} | ${fmt(duckMs / 1000, 1)} s | ${rate(duckMs)} | DuckDB's default (${os.cpus().length} cores) |`,
      `| the engine, \`model.score()\` in process | ${n} | ${fmt(engineMs / 1000, 1)} s | ${rate(engineMs)} | 1 |`,
      '',
      `Generating the ${n} rows in DuckDB took ${fmt(generateMs / 1000, 1)} s (not counted). The engine's accounts are generated a ` +
        `${CHUNK.toLocaleString('en')}-account chunk at a time, outside its timing; its time is scoring only (validation included).`,
    ].join('\n');
  } finally {
    duck.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
