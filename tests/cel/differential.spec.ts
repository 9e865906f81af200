import { runDifferential } from './differential';

/**
 * The compiled engine and cel-js's interpreter agree on generated expressions
 * × accounts (see differential.ts). Locally each run draws new cases; under
 * CI=true the seed is fixed (CEL_SEED=<n> replays one), as
 * tests/reliability/fuzz.e2e-spec.ts does.
 */
const RUNS = 10_000;
const SEED = process.env.CEL_SEED ? Number(process.env.CEL_SEED) : process.env.CI === 'true' ? 20261130 : undefined;

it(`compiled engine and cel-js agree on ${RUNS.toLocaleString('en')} generated expressions × accounts`, async () => {
  const c = await runDifferential(RUNS, SEED);
  console.log(
    `CEL differential: ${c.cases} expression × account cases, ${c.compared} compared (${c.errors} both errors, ${c.deviations} known cel-js deviations), ${c.refused} refused at check time`,
  );
  expect(c.cases).toBe(RUNS);
}, 120_000);
