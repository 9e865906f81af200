import { loadCel } from '../api/src/scoring-engine/cel';
import { loadCases, UPSTREAM } from '../tests/cel/conformance';
import { runDifferential } from '../tests/cel/differential';
import { type Outcome, runCelJs, runProduct } from '../tests/cel/evaluators';
import { type BenchOptions, engineComparison } from './engine-comparison';
import { loadAverage } from './harness';

/**
 * `npm run bench -- engine` (issue 14): the CEL conformance pass counts of the
 * compiled engine and of cel-js's interpreter, one differential run, and the
 * in-process engine rate on ml-inference, all in the same process and run.
 */
export async function engineBench(options: BenchOptions = {}): Promise<string> {
  const load = loadAverage();
  const cel = await loadCel();
  const { cases, skipped } = loadCases();
  const tally = (run: (c: (typeof cases)[number]) => Outcome) => {
    const t: Record<Outcome, number> = { pass: 0, refused: 0, wrong: 0 };
    for (const c of cases) t[run(c)]++;
    return t;
  };
  const ours = tally(runProduct);
  const theirs = tally((c) => runCelJs(cel, c));
  const diff = await runDifferential(options.quick ? 1000 : 10_000, 20261130);
  const engine = await engineComparison(options);
  return [
    `## CEL engine (issue 14)${options.quick ? ' (quick run: fewer cases, accounts and rounds)' : ''}`,
    '',
    `Load average at the start: ${load} (other benchmarks and test suites share the 2 cores).`,
    '',
    `### Conformance: ${UPSTREAM}, simple tests of basic, comparisons, conversions, fields, fp_math, integer_math, lists, logic, macros, parse, plumbing, string, type_deductions`,
    '',
    `${cases.length} cases in the supported subset; ${skipped.length} skipped outside it (uint, bytes, timestamps/durations, proto messages, containers, type values, check-only cases; each with its reason in tests/cel/conformance.ts).`,
    '',
    '| evaluator | pass | refused at check time | wrong value or error |',
    '|---|---|---|---|',
    `| this engine (compiled) | **${ours.pass}** | ${ours.refused} | **${ours.wrong}** |`,
    `| @marcbachmann/cel-js, its interpreter | ${theirs.pass} | ${theirs.refused} | ${theirs.wrong} |`,
    '',
    `### Differential (tests/cel/differential.ts, seed 20261130)`,
    '',
    `${diff.cases.toLocaleString('en')} generated expression × account cases: ${diff.compared.toLocaleString('en')} evaluated by both and in agreement ` +
      `(${diff.errors.toLocaleString('en')} of them errors on both sides; ${diff.deviations} where cel-js departs from the CEL spec in a named, known way), ` +
      `${diff.refused} refused at check time by the engine.`,
    '',
    ...engine,
  ].join('\n');
}
