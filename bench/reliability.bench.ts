import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fmt } from './harness';

/**
 * Runs the reliability suite (tests/reliability, as `npm test` does) and
 * turns the figures each test recorded in .reliability/*.json into the
 * RESULTS.md section. The tests hold the assertions; this only reports.
 */
const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, '.reliability');

type Figures = Record<string, any>;

function read(name: string): Figures {
  const file = path.join(DIR, `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: its test did not finish`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export async function reliabilityBench(): Promise<string> {
  fs.rmSync(DIR, { recursive: true, force: true });
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--disable-warning=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      'tests/reliability',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CI: process.env.CI ?? 'true' },
    },
  );
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`the reliability suite failed (exit ${run.status}); no figures written`);
  const r = read('db-restart');
  const s = read('shutdown');
  const f = read('fuzz');
  const k = read('soak');
  const t = read('two-processes');
  const b = read('backup-restore');
  return `## Reliability (issue 8)

Written by \`npm run bench -- reliability\`, which runs \`tests/reliability/\` (also part of \`npm test\`) and reports what each test recorded; the tests hold the assertions. The suite took ${fmt(seconds, 0)} s here, jest's build and 2 workers included (budget: 5 minutes).

| property (test) | figure | the test's bound |
|---|---|---|
| PostgreSQL restart under load (\`db-restart\`): database down for | ${fmt(r.downMs / 1000)} s (2 scorers, 3 editors with compare-and-swap) | |
| requests in the restart window (stop → service back) | ${r.windowRequests}, of which **${r.windowFailed} failed**, all \`${r.failureCodes.join(', ')}\` | every failure \`SERVICE_UNAVAILABLE\` |
| slowest request during the run | ${r.slowestRequestMs} ms (DB_POOL_WAIT_MS = ${r.poolWaitMs}) | < pool wait + 3 s |
| recovery: \`/readyz\` 200 / first acknowledged edit, after PostgreSQL is up | **${r.readyzAfterMs} ms / ${r.firstEditAfterMs} ms** | < 2 s |
| acknowledged writes / lost / half-written | ${r.ackedWrites} / **${r.lostWrites}** / 0; history verifies | 0 lost |
| SIGTERM during a slow request (\`shutdown\`) | the request finished (${s.slowRequestMs} ms); a new one got "${s.lateRequest}"; exit 0 after ${fmt(s.sigtermToExitMs / 1000)} s | < grace ${s.graceMs / 1000} s |
| property-based fuzzing (\`fuzz\`, fast-check) | **${f.total.toLocaleString('en-US')} cases** (mutations ${f.cases.mutations}, expressions ${f.cases.expressions}, account attributes ${f.cases.attributes}, fitScores lists ${f.cases.lists}); of the generated writes (mutations and saved expressions) ${f.refused} were refused, each leaving the database unchanged, and ${f.accepted} accepted, each in the history | no internal error |
| soak (\`soak\`): accounts scored through \`fitScores\` | ${k.accounts.toLocaleString('en-US')} in batches of ${k.batchSize.toLocaleString('en-US')}, ${fmt(k.seconds, 1)} s (${Math.round(k.accountsPerSecond).toLocaleString('en-US')} accounts/s over HTTP, 2 clients) | |
| soak: resident memory after warm-up (${k.warmupAccounts.toLocaleString('en-US')} accounts) → end; mean of ${k.rssSamples} samples (every 100 ms) in the first vs the second half of the ${(k.accounts - k.warmupAccounts).toLocaleString('en-US')} accounts measured | ${fmt(k.rssAfterWarmupMiB, 0)} MiB → ${fmt(k.rssEndMiB, 0)} MiB, **${fmt(k.growthPercent, 1)}% growth** (peak ${fmt(k.rssPeakMiB, 0)} MiB; single readings swing ±15% with each collection) | < 10% |
| two processes (\`two-processes\`): publish on A scored on B / key revoked on A refused on B | ${t.publishSeenOnOtherMs} ms / ${t.revokeSeenOnOtherMs} ms | < 1 s |
| SIGKILL of A during a batch of writes | ${t.killedMidRequest} requests cut off, ${t.ackedWrites} acknowledged writes, **${t.lostWrites} lost**, history verifies | 0 lost |
| backup and restore (\`backup-restore\`, PostgreSQL ${b.postgres}'s pg_dump/pg_restore) | ${b.revisions} revisions; dump ${fmt(b.dumpBytes / 1024, 0)} KiB in ${b.dumpMs} ms, restore into a new cluster ${b.restoreMs} ms; history verifies, data equal | verifies |

The machine runs other work too: the timings are for this run, not a capacity figure.
`;
}
