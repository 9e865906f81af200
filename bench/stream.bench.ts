import { Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BatchScorer, RecordBatcher, type RecordBatch } from '../api/src/fit-score/score-stream';
import type { CompiledModel } from '../api/src/scoring-engine/engine';
import type { BenchOptions } from './engine-comparison';
import { fmt, loadAverage, summarize } from './harness';
import { mlAccounts, mlModel } from './peers';

/**
 * `npm run bench -- stream` (issue 19): bulk scoring's stream stages
 * (fit-score/score-stream.ts: bytes → batches of records → scored lines) in
 * one process, without HTTP: 10,000,000 NDJSON accounts of ml-inference
 * (10,000 distinct ones, cycled) made as they are read, results counted as
 * they come out. Resident memory is read at each million, after a full GC
 * and a pause (the collector's background threads unmap what it freed), and
 * the peak of the whole process (setup included). The limit is the
 * same stream parsed and re-serialized without scoring (JSON.parse and
 * JSON.stringify of each record, same batches): their ratio is measured in
 * alternating rounds of the same size, median and spread.
 */
const FULL = { total: 10_000_000, every: 1_000_000, rounds: 5, roundSize: 1_000_000 };
const QUICK = { total: 1_000_000, every: 100_000, rounds: 3, roundSize: 200_000 };

/** `count` NDJSON accounts, cycling through `lines`, in chunks of about 64 KB. */
function source(lines: string[], count: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i >= count) return void this.push(null);
      let chunk = '';
      while (chunk.length < 65_536 && i < count) chunk += lines[i++ % lines.length];
      this.push(chunk);
    },
  });
}

/** Counts lines written, and awaits `at` every `every` of them (the stream waits meanwhile; `paused`: ms in `at`). */
function sink(every: number, at: (lines: number) => Promise<void>): Writable & { lines: number; paused: number } {
  let next = every;
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const s = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
      for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) w.lines++;
      if (w.lines < next) return done();
      void (async () => {
        while (w.lines >= next) {
          const t = performance.now();
          await at(next);
          w.paused += performance.now() - t;
          next += every;
        }
      })().then(() => done(), done);
    },
  }) as Writable & { lines: number; paused: number };
  w.lines = 0;
  w.paused = 0;
  return w;
}

/** The limit: each record parsed and written back, nothing scored. */
class Reserialize extends Transform {
  constructor() {
    super({ writableObjectMode: true, writableHighWaterMark: 2 });
  }
  override _transform(batch: RecordBatch, _enc: BufferEncoding, done: TransformCallback): void {
    let out = '';
    for (const r of batch.records) if (r) out += JSON.stringify(JSON.parse(r)) + '\n';
    done(null, out);
  }
}

const scoring = (model: CompiledModel) => new BatchScorer(model, 'ndjson', 'ndjson', { takeAccounts: async () => {} });

/** Accounts/s through source → batcher → `stage` → sink, the readings' pauses not counted. */
async function run(
  lines: string[],
  count: number,
  stage: () => Transform,
  every = count,
  at = async (_n: number) => {},
) {
  const out = sink(every, at);
  const t0 = performance.now();
  await pipeline(source(lines, count), new RecordBatcher('ndjson'), stage(), out);
  const s = (performance.now() - t0 - out.paused) / 1000;
  return { rate: count / s, seconds: s, lines: out.lines };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b: number) => fmt(b / 2 ** 20, 0);

export async function streamBench(options: BenchOptions = {}): Promise<string> {
  const plan = options.quick ? QUICK : FULL;
  const load = loadAverage();
  const { model } = await mlModel();
  const lines = mlAccounts(10_000).map((a) => JSON.stringify(a) + '\n');
  const bytes = lines.reduce((n, l) => n + l.length, 0) / lines.length;

  // Warm up both paths, then the long run: resident memory read after a full collection at each million (without
  // it a reading lands anywhere on the collector's sawtooth; what is live is what must stay flat), and a pause: the
  // collection hands the pages it freed to a background thread that unmaps them, and a reading taken at once counted
  // up to 200 MiB of them still mapped (more the busier the machine: 236-414 MiB readings of the same heap).
  await run(lines, 100_000, () => scoring(model));
  await run(lines, 100_000, () => new Reserialize());
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const rss: number[] = [];
  const heap: number[] = [];
  const reading = async () => {
    gc();
    await sleep(200);
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  };
  // Before the stream: the bench process itself (its modules, the model, the 10,000 accounts).
  await reading();
  const [baseRss, baseHeap] = [rss.pop()!, heap.pop()!];
  const long = await run(lines, plan.total, () => scoring(model), plan.every, reading);
  // The process's high-water mark (setup and warm-up included): what the collector's sawtooth reached in between.
  const peak = process.resourceUsage().maxRSS * 1024;
  if (long.lines !== plan.total + 1) throw new Error(`expected ${plan.total + 1} lines out, got ${long.lines}`);
  const growth = (rss.at(-1)! - rss[1]) / rss[1];

  // Alternating rounds: scored, then the limit, so load drifts weigh on both alike.
  const scored: number[] = [];
  const limit: number[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    scored.push((await run(lines, plan.roundSize, () => scoring(model))).rate);
    limit.push((await run(lines, plan.roundSize, () => new Reserialize())).rate);
  }
  const ratios = scored.map((s, i) => s / limit[i]);
  const k = (x: number) => `${fmt(x / 1000, 0)}k`;
  const million = plan.every / 1e6;
  summarize(
    `stream: ${fmt(long.rate, 0)} accounts/s over ${plan.total.toLocaleString('en')}; RSS ${mib(rss[1])} → ${mib(rss.at(-1)!)} MiB (${fmt(growth * 100, 1)} %); ${fmt(median(ratios), 2)}x the parse + re-serialize limit`,
  );
  return [
    `## Bulk scoring stream (issue 19)${options.quick ? ' (quick run: 1,000,000 accounts, smaller rounds)' : ''}`,
    '',
    `Load average at the start: ${load} (other benchmarks and test suites share the 2 cores). ml-inference, NDJSON in and out (${fmt(bytes, 0)} bytes per account in), the stages of \`POST /v1/score/{icp}\` in one process without HTTP (bench/stream.bench.ts).`,
    '',
    '| what | accounts/s | |',
    '|---|---|---|',
    `| ${plan.total.toLocaleString('en')} accounts, one stream | **${fmt(long.rate, 0)}** | ${fmt(long.seconds, 1)} s |`,
    `| scored, rounds of ${plan.roundSize.toLocaleString('en')} (median, min–max) | ${fmt(median(scored), 0)} | ${k(Math.min(...scored))}–${k(Math.max(...scored))} |`,
    `| limit: parsed and re-serialized, not scored (same rounds) | ${fmt(median(limit), 0)} | ${k(Math.min(...limit))}–${k(Math.max(...limit))} |`,
    `| ratio scored / limit (median of the rounds' ratios) | **${fmt(median(ratios), 2)}** | ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)} |`,
    '',
    `Resident memory (MiB) after each ${million === 1 ? 'million' : `${plan.every.toLocaleString('en')}`} accounts, after a full collection and a 200 ms pause: ${rss.map(mib).join(', ')}; growth from the 2nd to the last: **${fmt(growth * 100, 1)} %** (target < 10 %). Heap in use at the same readings: ${heap.map(mib).join(', ')} MiB. Before the stream (the bench process: its modules, the model, the 10,000 accounts): ${mib(baseRss)} MiB resident, ${mib(baseHeap)} MiB of heap in use. Peak resident memory of the bench process (setup included): ${mib(peak)} MiB.`,
    '',
    `Target ≥ 500,000 accounts/s: ${long.rate >= 500_000 ? 'met' : 'not met'} (${fmt(long.rate, 0)}).`,
  ].join('\n');
}
