import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { machine } from './harness';
import { historyBench } from './history.bench';
import { startupBench } from './startup.bench';

/**
 * `npm run bench [name…]`: runs the benchmarks (all, or those named) and
 * writes their figures to bench/RESULTS.md with the machine and the date.
 */
const BENCHES: Record<string, () => Promise<string>> = {
  startup: startupBench,
  history: historyBench,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  const sections: string[] = [];
  for (const name of names) {
    console.error(`bench: ${name}…`);
    const section = await BENCHES[name]();
    console.log(`${section}\n`);
    sections.push(section);
  }
  const file = path.resolve(__dirname, '../../bench/RESULTS.md');
  const header = ['# Benchmark results', '', `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`, '', `Machine: ${machine()}.`, ''];
  fs.writeFileSync(file, [...header, ...sections.flatMap((s) => [s, ''])].join('\n'));
  console.error(`bench: wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
