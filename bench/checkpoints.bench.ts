import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { signCheckpoint } from '../api/src/core/history-checkpoint';
import { signRevision } from '../api/src/core/history-keys';
import { chainBatches, type ChainRow, type SqlQuery } from '../api/src/core/history-rows';
import { type VerificationResult, verifyHistory } from '../api/src/core/history-verifier';
import { appendRevision } from '../api/src/core/revision-writer';
import { RevisionAction } from '../api/src/core/revision.entity';
import { withTransaction } from '../api/src/db/transaction';
import { signedChain } from '../tests/helpers/chain';
import { BENCH_HISTORY_KEYS, benchContext, benchDatabase, fmt } from './harness';

/**
 * Issue 15: what signing costs a write, and how fast the shared streaming
 * verifier checks a long chain, in how much memory.
 */
const ROUNDS = 7;
const WRITES_PER_ROUND = 300;
const CHAIN = Number(process.env.BENCH_CHAIN_REVISIONS ?? 1_000_000);
const INSERT_ROWS = 1000;
const COLUMNS = 18;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes per second of the revision writer, signed and unsigned, in interleaved rounds of the same run. */
async function writeRates(db: Awaited<ReturnType<typeof benchDatabase>>) {
  const ctx = await benchContext(db.ds);
  const round = async (signed: boolean) => {
    const t0 = performance.now();
    for (let i = 0; i < WRITES_PER_ROUND; i++)
      await withTransaction(ctx, (tx) =>
        appendRevision(
          tx,
          {
            entityType: 'Persona',
            entityId: randomUUID(),
            workspaceId: ctx.workspaceId,
            icpId: null,
            revision: 1,
            action: RevisionAction.CREATE,
            before: null,
            after: { name: `Bench ${i}`, quote: 'A persona of the bench, about as long as one of the demo' },
          },
          signed ? (hash) => signRevision(BENCH_HISTORY_KEYS, hash) : () => null,
        ),
      );
    return (WRITES_PER_ROUND * 1000) / (performance.now() - t0);
  };
  await round(true); // warm-up
  const signed: number[] = [];
  const unsigned: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating which goes first, so drift of the machine favours neither.
    if (r % 2) unsigned.push(await round(false));
    signed.push(await round(true));
    if (!(r % 2)) unsigned.push(await round(false));
  }
  return { signed, unsigned };
}

/** A signed chain of `n` revisions in a workspace of its own, written as the owner in multi-row INSERTs. */
async function bulkChain(ownerUrl: string, workspace: string, n: number): Promise<number> {
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  const t0 = performance.now();
  try {
    let batch: unknown[][] = [];
    const flush = async () => {
      // The time as microseconds since the epoch, exactly (to_timestamp's double would round).
      const param = (r: number, i: number) =>
        i === 9
          ? `'epoch'::timestamptz + $${r * COLUMNS + i + 1}::bigint * interval '1 microsecond'`
          : `$${r * COLUMNS + i + 1}`;
      const values = batch.map((_, r) => `(${Array.from({ length: COLUMNS }, (_, i) => param(r, i)).join(', ')})`);
      await c.query(
        `INSERT INTO revision (workspace_id, chain_index, entity_type, entity_id, icp_id, revision, action, actor_id, actor_label, at, reason, before, after, patch, prev_hash, hash, key_id, signature)
         VALUES ${values.join(', ')}`,
        batch.flat(),
      );
      batch = [];
    };
    for (const row of signedChain(BENCH_HISTORY_KEYS, workspace, n)) {
      batch.push([
        row.workspaceId,
        row.chainIndex,
        row.entityType,
        row.entityId,
        row.icpId,
        row.revision,
        row.action,
        row.actorId,
        row.actorLabel,
        row.atMicros,
        row.reason,
        JSON.stringify(row.before),
        JSON.stringify(row.after),
        JSON.stringify(row.patch),
        row.prevHash,
        row.hash,
        row.keyId,
        row.signature,
      ]);
      if (batch.length === INSERT_ROWS) await flush();
    }
    if (batch.length) await flush();
  } finally {
    await c.end();
  }
  return (performance.now() - t0) / 1000;
}

/** Verifies the chain with the shared streaming verifier, sampling the process's memory every 50 ms. */
async function verifyMeasured(ownerUrl: string, workspace: string, checkpoint?: ReturnType<typeof signCheckpoint>) {
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  global.gc?.();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heap: base.heapUsed };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  }, 50);
  const t0 = performance.now();
  let result: VerificationResult<ChainRow>;
  try {
    const query: SqlQuery = async (sql, params) => (await c.query(sql, params)).rows as unknown[];
    result = await verifyHistory(
      { keys: BENCH_HISTORY_KEYS, workspace, lastUnsigned: 0, checkpoint },
      chainBatches(query, workspace),
    );
  } finally {
    clearInterval(sampler);
    await c.end();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (!result.valid) throw new Error(`the bench chain did not verify: ${result.problem}`);
  return { result, seconds, base, peak };
}

const mb = (bytes: number) => fmt(bytes / 2 ** 20, 0);

export async function checkpointsBench(): Promise<string> {
  const db = await benchDatabase('icp_bench_checkpoints');
  try {
    const writes = await writeRates(db);
    const ratio = median(writes.signed) / median(writes.unsigned);
    const workspace = randomUUID();
    const insertS = await bulkChain(db.ownerUrl, workspace, CHAIN);
    const full = await verifyMeasured(db.ownerUrl, workspace);
    const tail = 1000;
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const [kept] = (
      await owner.query('SELECT hash FROM revision WHERE workspace_id = $1 AND chain_index = $2', [
        workspace,
        CHAIN - tail,
      ])
    ).rows as { hash: string }[];
    await owner.end();
    const checkpoint = signCheckpoint(BENCH_HISTORY_KEYS, {
      workspace,
      chainIndex: CHAIN - tail,
      headHash: kept.hash,
      at: new Date(),
    });
    const fromCheckpoint = await verifyMeasured(db.ownerUrl, workspace, checkpoint);
    const spread = (xs: number[]) => `${fmt(Math.min(...xs), 0)}–${fmt(Math.max(...xs), 0)}`;
    return [
      '## History checkpoints and verification (issue 15)',
      '',
      `Revision writes through the one writer (\`appendRevision\`, a transaction each: advisory lock, head, INSERT), ${ROUNDS} interleaved rounds of ${WRITES_PER_ROUND} writes each, in one run:`,
      '',
      '| writes | median writes/s | spread (min–max) |',
      '|---|---|---|',
      `| signed (Ed25519, as the server writes) | ${fmt(median(writes.signed), 0)} | ${spread(writes.signed)} |`,
      `| unsigned (the baseline) | ${fmt(median(writes.unsigned), 0)} | ${spread(writes.unsigned)} |`,
      '',
      `Signed / unsigned: **${fmt(ratio)}x** (target ≥ 0.8x).`,
      '',
      `Verification of a signed chain of ${CHAIN.toLocaleString('en')} revisions (bulk-generated and written as the owner in INSERTs of ${INSERT_ROWS} rows: ${fmt(insertS, 0)} s), read from PostgreSQL in keyset batches of 2,000 by the shared streaming verifier (\`verifyHistory\` + \`chainBatches\`, what \`icp verify-history --system\` runs), every hash, link and signature checked:`,
      '',
      '| verification | revisions | time | revisions/s | peak RSS (before) | peak heap (before) |',
      '|---|---|---|---|---|---|',
      `| whole chain | ${full.result.checked.toLocaleString('en')} | ${fmt(full.seconds, 1)} s | ${fmt(full.result.checked / full.seconds, 0)} | ${mb(full.peak.rss)} MB (${mb(full.base.rss)} MB) | ${mb(full.peak.heap)} MB (${mb(full.base.heapUsed)} MB) |`,
      `| from a checkpoint ${tail.toLocaleString('en')} revisions before the head | ${fromCheckpoint.result.checked.toLocaleString('en')} | ${fmt(fromCheckpoint.seconds, 2)} s | ${fmt(fromCheckpoint.result.checked / fromCheckpoint.seconds, 0)} | ${mb(fromCheckpoint.peak.rss)} MB | ${mb(fromCheckpoint.peak.heap)} MB |`,
      '',
      'Memory stays flat with the chain length: the verifier keeps a cursor and two counters, and holds one batch at a time.',
    ].join('\n');
  } finally {
    await db.stop();
  }
}
