import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { machine } from './harness';
import { historyBench } from './history.bench';
import { checkpointsBench } from './checkpoints.bench';
import { scoringBench } from './scoring.bench';
import { consoleBench } from './console.bench';
import { startupBench } from './startup.bench';
import { reliabilityBench } from './reliability.bench';
import { limitsBench } from './limits.bench';
import { engineBench } from './engine.bench';
import { observabilityBench } from './observability.bench';
import { withSection } from './results-file';

/**
 * `npm run bench [name…]`: runs the benchmarks (all, or those named) and
 * writes each one's figures into its own section of bench/RESULTS.md, with
 * the machine and the date; sections not run this time are kept.
 */
const BENCHES: Record<string, () => Promise<string>> = {
  startup: startupBench,
  history: historyBench,
  checkpoints: checkpointsBench,
  scoring: scoringBench,
  console: consoleBench,
  reliability: reliabilityBench,
  limits: limitsBench,
  engine: engineBench,
  observability: observabilityBench,
};

const FILE = path.resolve(__dirname, '../../bench/RESULTS.md');
const HEADER =
  '# Benchmark results\n\nWritten by `npm run bench` (each section by its own benchmark; run one with `npm run bench -- <name>`).\n';

async function main(): Promise<void> {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  for (const name of names) {
    console.error(`bench: ${name}…`);
    const body = await BENCHES[name]();
    const stamped = body.replace(
      /^(## .*)$/m,
      `$1\n\nMeasured on ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
    );
    console.log(`${stamped}\n`);
    // Written after each benchmark, so a later failure keeps what was measured.
    const current = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : HEADER;
    fs.writeFileSync(FILE, withSection(current, name, `${stamped}\n`));
  }
  console.error(`bench: wrote ${FILE}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
