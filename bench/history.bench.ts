import { createHash } from 'node:crypto';
import { signatureProblem, signRevision } from '../api/src/core/history-keys';
import { db as txDb } from '../api/src/core/context';
import { Icp } from '../api/src/modules/icp/icp.entity';
import { personaService } from '../api/src/modules/persona/persona.service';
import { withTransaction } from '../api/src/db/transaction';
import { historyService } from '../api/src/versioning/history.service';
import { diffFiles, icpFileService } from '../api/src/modules/icp-file/icp-import.service';
import { canonicalFile } from '../api/src/modules/icp-file/icp-file.format';
import { queryCount } from '../api/src/db/data-source';
import type { RequestContext } from '../api/src/core/context';
import {
  BENCH_HISTORY_KEYS,
  benchContext,
  benchDatabase,
  benchServer,
  benchToken,
  fmt,
  gql,
  machine,
  time,
} from './harness';
import os from 'node:os';
import YAML from 'yaml';

const READS = 3000;
/** Changes in one import (issue 18), imports timed, and single edits timed for the rate beside it. */
const IMPORT_CHANGES = 1000;
const IMPORT_RUNS = 7;
const SINGLE_EDITS = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * An ICP file of IMPORT_CHANGES records (a demo ICP under a new slug, filled
 * up with trigger events), imported through the service the importIcp
 * mutation and `icp import` use: one transaction, a signed revision per change.
 */
async function importFigures(ctx: RequestContext, icpId: string): Promise<string[]> {
  const exported = await withTransaction(ctx, (tx) => icpFileService.exportIcp(tx, 'itsm'));
  const base: Record<string, any> = YAML.parse(exported);
  const fileOf = (slug: string) => {
    const file = { ...base, slug, name: `Bulk ${slug}`, triggerEvents: [...base.triggerEvents] };
    const records = diffFiles(canonicalFile(file), null).length;
    for (let i = records; i < IMPORT_CHANGES; i++)
      file.triggerEvents.push({
        name: `Signal ${file.triggerEvents.length}`,
        category: 'Bulk',
        expression: `'signal_${file.triggerEvents.length}' in account.signals`,
        reason: 'A bulk-imported trigger.',
      });
    return YAML.stringify(file);
  };
  const rates: number[] = [];
  let changes = 0;
  let queries = 0;
  for (let run = 0; run < IMPORT_RUNS; run++) {
    const text = fileOf(`bulk-${run}`);
    const q0 = queryCount(ctx.ds);
    const t0 = performance.now();
    // As the importIcp mutation runs it: in the request's transaction.
    const result = await withTransaction(ctx, (tx) => icpFileService.importIcp(tx, text, { reason: 'bench' }));
    const s = (performance.now() - t0) / 1000;
    changes = result.changes.length;
    queries = queryCount(ctx.ds) - q0;
    rates.push(changes / s);
  }
  // Single edits: an update of one persona per transaction, as the console makes them.
  let p = await personaService.create(ctx, { icpId, name: 'Single edits' });
  const q0 = queryCount(ctx.ds);
  const t0 = performance.now();
  for (let i = 0; i < SINGLE_EDITS; i++) p = await personaService.update(ctx, p.id, p.revision, { quote: `edit ${i}` });
  const singleS = (performance.now() - t0) / 1000;
  const perEdit = (queryCount(ctx.ds) - q0) / SINGLE_EDITS;
  const verification = await withTransaction(ctx, (tx) => historyService.verify(tx));
  return [
    '## History import (issue 18)',
    '',
    `Measured on ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${os
      .loadavg()
      .map((l) => fmt(l))
      .join(', ')}.`,
    '',
    `An import of an ICP file of ${changes} changes (a new ICP: a demo ICP's records under a new slug, filled up with trigger events) through \`importIcp\`'s service, in one transaction, one signed revision per change; ${IMPORT_RUNS} runs:`,
    '',
    '| figure | median | spread (min – max) |',
    '|---|---|---|',
    `| import, changes/s | **${fmt(median(rates), 0)}** | ${fmt(Math.min(...rates), 0)} – ${fmt(Math.max(...rates), 0)} |`,
    '',
    `Statements sent per import: ${queries} (${fmt(queries / changes, 2)} per change).`,
    `Single edits (\`updatePersona\`'s service, a transaction each, ${SINGLE_EDITS} in a row): ${fmt(SINGLE_EDITS / singleS, 0)} changes/s, ${fmt(perEdit, 1)} statements each.`,
    `verifyHistory afterwards: ${verification.checked} revisions, valid: ${verification.valid}.`,
  ];
}

/** The cost of signing a revision's hash and of checking that signature, alone (µs each, over 10,000). */
function signingCost(): { signUs: number; verifyUs: number } {
  const n = 10_000;
  const hashes = Array.from({ length: n }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
  let t0 = performance.now();
  const signed = hashes.map((hash) => ({ hash, ...signRevision(BENCH_HISTORY_KEYS, hash), atMicros: '0' }));
  const signUs = ((performance.now() - t0) * 1000) / n;
  t0 = performance.now();
  if (signed.some((row) => signatureProblem(BENCH_HISTORY_KEYS, row))) throw new Error('a signature did not verify');
  return { signUs, verifyUs: ((performance.now() - t0) * 1000) / n };
}

/** Reading a record's current state must not depend on how long its history is. */
export async function historyBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_history');
  // Quotas off: the reads below are 12,000 requests of one principal, more than production's 1,200 a minute.
  const { server, url } = await benchServer(db.ds, { QUOTA_REQUESTS_PER_MINUTE: '0' });
  try {
    // Row-level security: the first workspace, the rest inside a session of it.
    const ctx = await benchContext(db.ds);
    const icp = await withTransaction(ctx, async (tx) => (await txDb(tx).findOneByOrFail(Icp, { slug: 'itsm' })).id);
    const imports = await importFigures(ctx, icp);
    // BENCH_HISTORY_IMPORT_ONLY=1: the import figures alone (a minute), for routine checks of the writer.
    if (process.env.BENCH_HISTORY_IMPORT_ONLY === '1') return imports.join('\n');
    const make = async (name: string, revisions: number) => {
      let p = await personaService.create(ctx, { icpId: icp, name });
      for (let i = 1; i < revisions; i++)
        p = await personaService.update(ctx, p.id, p.revision, { quote: `edit ${i}` });
      return p.id;
    };
    const t0 = Date.now();
    const short = await make('Ten revisions', 10);
    const long = await make('Ten thousand revisions', 10_000);
    const writeS = (Date.now() - t0) / 1000;
    const q = `query($id: ID!) { persona(id: $id) { id name quote revision } }`;
    const token = await benchToken(url);
    const read = (id: string) => time(READS, () => gql(url, q, { id }, { authorization: `Bearer ${token}` }));
    // Interleave two rounds each so drift of the machine does not favour one side.
    const a1 = await read(short);
    const b1 = await read(long);
    const a2 = await read(short);
    const b2 = await read(long);
    const tenMs = (a1.medianMs + a2.medianMs) / 2;
    const tenKMs = (b1.medianMs + b2.medianMs) / 2;
    const signing = signingCost();
    const verifyT0 = Date.now();
    // Inside a session of the workspace: row-level security shows no revision outside one.
    const verification = await withTransaction(ctx, (tx) => historyService.verify(tx));
    const verifyS = (Date.now() - verifyT0) / 1000;
    return [
      '## History (issue 3)',
      '',
      `Reading a persona's current state through GraphQL (\`persona(id)\`, ${READS} sequential requests after warm-up, two interleaved rounds each, median):`,
      '',
      '| revisions in its history | median | p99 |',
      '|---|---|---|',
      `| 10 | ${fmt(tenMs, 3)} ms | ${fmt(Math.max(a1.p99Ms, a2.p99Ms), 3)} ms |`,
      `| 10,000 | ${fmt(tenKMs, 3)} ms | ${fmt(Math.max(b1.p99Ms, b2.p99Ms), 3)} ms |`,
      '',
      `Ratio 10,000 / 10: **${fmt(tenKMs / tenMs)}x** (target ≤ 1.2x). The current state lives in the entity's own row; history is only read when asked for.`,
      '',
      `Writing those 10,010 revisions (one update each, through the service, each with its hash-chained revision): ${fmt(writeS, 1)} s, ${fmt(10_010 / writeS, 0)} changes/s.`,
      `Signing (issue 15): Ed25519 over each revision's hash, ${fmt(signing.signUs, 1)} µs per signature (${fmt(1e6 / signing.signUs, 0)}/s on one core), ${fmt(signing.verifyUs, 1)} µs per check; that is ${fmt((100 * signing.signUs) / ((1e6 * writeS) / 10_010), 1)} % of the ${fmt((1000 * writeS) / 10_010, 2)} ms a signed write took above (an unsigned write would be at most that much faster; the writer has no unsigned mode to time).`,
      `verifyHistory over the whole chain (${verification.checked} revisions, valid: ${verification.valid}, every signature checked): ${fmt(verifyS, 2)} s.`,
      '',
      ...imports,
    ].join('\n');
  } finally {
    await server.stop();
    await db.stop();
  }
}
