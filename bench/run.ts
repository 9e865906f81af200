import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadAverage, machine, summaries } from './harness';
import { historyBench } from './history.bench';
import { checkpointsBench } from './checkpoints.bench';
import { scoringBench } from './scoring.bench';
import { consoleBench } from './console.bench';
import { startupBench } from './startup.bench';
import { reliabilityBench } from './reliability.bench';
import { limitsBench } from './limits.bench';
import { engineBench } from './engine.bench';
import { observabilityBench } from './observability.bench';
import { sqlExportBench } from './sql-export.bench';
import { scalingBench } from './scaling.bench';
import { streamBench } from './stream.bench';
import { withSection } from './results-file';
import type { BenchOptions } from './engine-comparison';

/**
 * `npm run bench [name…] [--quick]`: runs the benchmarks (all, or those named) and
 * writes each one's figures into its own section of bench/RESULTS.md, with
 * the machine and the date; sections not run this time are kept. Each figure's
 * one-line summary goes to stderr after its benchmark. `--quick` (engine and
 * scoring: fewer accounts, rounds and turns, under a minute) prints the
 * section but does not write RESULTS.md: quick figures are for routine checks.
 */
const BENCHES: Record<string, (options: BenchOptions) => Promise<string>> = {
  startup: startupBench,
  history: historyBench,
  checkpoints: checkpointsBench,
  scoring: scoringBench,
  console: consoleBench,
  reliability: reliabilityBench,
  limits: limitsBench,
  engine: engineBench,
  observability: observabilityBench,
  'sql-export': sqlExportBench,
  scaling: scalingBench,
  stream: streamBench,
};

const FILE = path.resolve(__dirname, '../../bench/RESULTS.md');
const HEADER =
  '# Benchmark results\n\nWritten by `npm run bench` (each section by its own benchmark; run one with `npm run bench -- <name>`).\n';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options: BenchOptions = { quick: args.includes('--quick') };
  const named = args.filter((a) => a !== '--quick');
  const names = named.length ? named : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  for (const name of names) {
    console.error(`bench: ${name}…`);
    summaries.length = 0;
    const body = await BENCHES[name](options);
    const stamped = body.replace(
      /^(## .*)$/m,
      `$1\n\nMeasured on ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
    );
    console.log(`${stamped}\n`);
    for (const line of summaries) console.error(`bench: ${line}`);
    if (options.quick) {
      console.error(`bench: ${name} quick run (load ${loadAverage()}): not written to RESULTS.md`);
      continue;
    }
    // Written after each benchmark, so a later failure keeps what was measured.
    const current = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : HEADER;
    fs.writeFileSync(FILE, withSection(current, name, `${stamped}\n`));
  }
  if (!options.quick) console.error(`bench: wrote ${FILE}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
