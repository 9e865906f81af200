import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readYaml } from '../demo/load-demo';
import { scoreCells, SCORE_HEADER } from '../csv/ranking';
import { checkerFor } from '../scoring-engine/cel';
import { compileModel, type CompiledModel } from '../scoring-engine/engine';
import { snapshotFromFile } from '../scoring-engine/from-file';
import { BatchScorer, RecordBatcher, type StreamFormat } from './score-stream';

/** The stream's stages without HTTP (the endpoint's e2e test runs them over a real server). */
type Row = Record<string, any>;
let model: CompiledModel;

beforeAll(async () => {
  const catalogue = (readYaml('workspace.yaml') as { attributes: Row[] }).attributes;
  const snapshot = snapshotFromFile(readYaml('itsm.icp.yaml') as Row, catalogue);
  model = compileModel(
    { icpId: snapshot.icp.id, icpSlug: 'itsm', version: 1, snapshot },
    await checkerFor(catalogue as never),
  );
});

/** The input in chunks of `size` bytes (cutting records, and multi-byte characters, anywhere), through both stages. */
async function run(input: string, format: StreamFormat, size: number, batch = 3): Promise<string> {
  const bytes = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  let out = '';
  await pipeline(
    Readable.from(chunks),
    new RecordBatcher(format, batch),
    new BatchScorer(model, format, 'ndjson', { takeAccounts: async () => {} }),
    new Writable({
      write(c: Buffer, _e, done) {
        out += c.toString();
        done();
      },
    }),
  );
  return out;
}

const ACCOUNTS = [
  { key: 'zürich-1', name: 'Zürich AG', attributes: { employees: 800, isMsp: false, country: 'CH' } },
  { key: 'b', attributes: { employees: 20 } },
  { key: 'c', name: 'Ünïcode "quoted"', attributes: {} },
  { key: 'd', attributes: { employees: 300, isMsp: true } },
];

it('writes each score as JSON.stringify writes its columns, whatever the chunk and batch sizes', async () => {
  const input = ACCOUNTS.map((a) => JSON.stringify(a)).join('\n') + '\n';
  const want = ACCOUNTS.map((a, i) => {
    const cells = scoreCells(model.score(a), a);
    return JSON.stringify(Object.fromEntries([['line', i + 1], ...SCORE_HEADER.map((h, k) => [h, cells[k]])]));
  });
  for (const size of [1, 2, 7, 64, 1 << 16]) {
    const lines = (await run(input, 'ndjson', size)).trim().split('\n');
    expect(lines.slice(0, -1)).toEqual(want);
    expect(JSON.parse(lines.at(-1)!).summary).toMatchObject({ rows: 4, scored: 4, errors: 0 });
  }
});

it('CSV: a quoted field across lines and chunks keeps the following line numbers right', async () => {
  const csv = 'key,name,employees\r\na,"Ünï\r\ncode",800\r\n\r\nb,"x ""y""",lots\r\nc,,20';
  for (const size of [1, 3, 1 << 16]) {
    const out = (await run(csv, 'csv', size, 1))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.line ?? 'summary')).toEqual([2, 5, 6, 'summary']);
    expect(out[0].name).toBe('Ünï\r\ncode');
    expect(out[1].error).toBe('line 5, column employees: "lots" is not a whole number');
  }
});
