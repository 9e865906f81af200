import { compare } from 'fast-json-patch';
import type { EntityManager } from 'typeorm';
import { db, type RequestContext } from './context';
import { afterCommit } from '../db/transaction';
import { HeldRows, type RunQuery } from '../db/session';
import { type ChainedContent, GENESIS_HASH, revisionHash } from './hash-chain';
import type { RevisionAction } from './revision.entity';
import { type RevisionSignature, signRevision } from './history-keys';

/**
 * The one revision writer. The generic CRUD service (and publishing) call it
 * inside the transaction of the change, so a change and its revision commit
 * or roll back together; no module writes history itself.
 *
 * Appends are serialised per workspace by a transaction-scoped advisory lock
 * (held until commit), and (workspace, chainIndex) is unique, so concurrent
 * writers can never fork the chain. A transaction takes the lock and reads
 * the head once, then extends the chain in memory and writes its revisions
 * in bulk (ChainTail below): the history of a thousand changes in one
 * transaction costs a few statements, as that of one change did.
 */
export interface Change {
  entityType: string;
  entityId: string;
  workspaceId: string;
  icpId: string | null;
  /** The record's revision after the change. */
  revision: number;
  action: RevisionAction;
  before: object | null;
  after: object | null;
  reason?: string | null;
}

// First key of the two-key advisory lock; the second is the workspace.
const HISTORY_LOCK = 7_341_001;

/** Plain JSON of a record (dates as ISO strings), as stored in history. */
export function snapshotOf(record: object | null): Record<string, unknown> | null {
  if (!record) return null;
  const plain = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  for (const key of Object.keys(plain)) if (key.endsWith('Ref')) delete plain[key];
  return plain;
}

export function recordRevision(ctx: RequestContext, change: Change): Promise<void> {
  // Signed here, in the transaction of the write, with a key the database never sees.
  return appendRevision(ctx, change, (hash) => signRevision(ctx.historyKeys, hash));
}

/**
 * recordRevision with the signature made by `sign`; null leaves the revision
 * unsigned, as written before signing began: only the bench's baseline of an
 * unsigned write uses that (bench/checkpoints.bench.ts).
 */
export async function appendRevision(
  ctx: RequestContext,
  change: Change,
  sign: (hash: string) => RevisionSignature | null,
): Promise<void> {
  const tail = chainTail(ctx, change.workspaceId);
  const before = snapshotOf(change.before);
  const after = snapshotOf(change.after);
  const patch = compare(before ?? {}, after ?? {});
  const content = await tail.extend((head) => {
    const next: ChainedContent = {
      workspaceId: change.workspaceId,
      chainIndex: head.lastIndex + 1,
      entityType: change.entityType,
      entityId: change.entityId,
      icpId: change.icpId,
      revision: change.revision,
      action: change.action,
      actorId: ctx.actor.id,
      actorLabel: ctx.actor.label,
      atMicros: head.atMicros,
      reason: change.reason ?? null,
      before,
      after,
      patch,
      prevHash: head.prevHash,
    };
    const hash = revisionHash(next);
    return { content: next, hash, signed: sign(hash) };
  }, db(ctx));
  const { checkpoints } = ctx;
  if (checkpoints) afterCommit(ctx, () => checkpoints.revisionCommitted(content.workspaceId, content.chainIndex));
}

function chainTail(ctx: RequestContext, workspaceId: string): ChainTail {
  const session = ctx.session;
  if (!session) throw new Error('recordRevision must run inside withTransaction');
  return session.deferredWrites(`revision:${workspaceId}`, () => new ChainTail(workspaceId));
}

/**
 * The transaction's now() (every revision's time), as a record read back
 * from PostgreSQL holds it: read with the head of the workspace's chain,
 * which its first revision reads anyway.
 */
export async function transactionNow(ctx: RequestContext, workspaceId: string): Promise<Date> {
  const { atMicros } = await chainTail(ctx, workspaceId).head(db(ctx));
  return new Date(Number(BigInt(atMicros) / 1000n));
}

/** The end of a workspace's chain as this transaction sees it. */
interface Head {
  lastIndex: number;
  prevHash: string;
  /** The transaction's now(), every revision's time. */
  atMicros: string;
}

interface PendingRevision {
  content: ChainedContent;
  hash: string;
  signed: RevisionSignature | null;
}

// A statement that reads or writes the revision table (not a column named revision): held-back revisions go first.
const NAMES_REVISION_TABLE = /\b(?:from|join|into|update|table)\s+(?:"?public"?\.)?"?revision"?(?![\w$])/i;
// Rows per INSERT: 17 parameters each, well under PostgreSQL's 65,535.
const ROWS_PER_INSERT = 1000;

/**
 * A transaction's end of one workspace's chain. The first revision takes the
 * workspace's history lock (held until commit) and reads the head; every
 * further one extends the chain in memory, hashed and signed as it is made,
 * and the session sends them in multi-row INSERTs before anything reads the
 * revision table and before COMMIT (db/session.ts, DeferredWrites).
 */
class ChainTail extends HeldRows<PendingRevision> {
  private start?: Promise<Head>;

  constructor(private readonly workspaceId: string) {
    super();
  }

  /** Appends the revision `make` builds on the head; synchronous after the head is known, so appends never race. */
  /** The head of the chain when this transaction began to extend it: read (and the lock taken) once. */
  head(m: EntityManager): Promise<Head> {
    return (this.start ??= this.readHead(m));
  }

  async extend(make: (head: Head) => PendingRevision, m: EntityManager): Promise<ChainedContent> {
    const first = await this.head(m);
    const last = this.rows.at(-1);
    const row = make(
      last ? { lastIndex: last.content.chainIndex, prevHash: last.hash, atMicros: first.atMicros } : first,
    );
    this.rows.push(row);
    return row.content;
  }

  private async readHead(m: EntityManager): Promise<Head> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [HISTORY_LOCK, this.workspaceId]);
    const [head] = await m.query(
      `SELECT (extract(epoch FROM now()) * 1000000)::bigint::text AS "atMicros",
              (SELECT hash FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1) AS "prevHash",
              (SELECT max(chain_index) FROM revision WHERE workspace_id = $1) AS "lastIndex"`,
      [this.workspaceId],
    );
    return { lastIndex: Number(head.lastIndex ?? 0), prevHash: head.prevHash ?? GENESIS_HASH, atMicros: head.atMicros };
  }

  needs(sql: string): boolean {
    return this.unsent && NAMES_REVISION_TABLE.test(sql);
  }

  protected async send(rows: PendingRevision[], run: RunQuery): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await run(...revisionsInsert(rows.slice(i, i + ROWS_PER_INSERT)));
  }
}

/**
 * The INSERT of one revision (its time is the transaction's now(), which
 * `content.atMicros` must be). The signature is null only in tests, which
 * write as an intruder would.
 */
export function revisionInsert(
  content: ChainedContent,
  hash: string,
  signed: RevisionSignature | null,
): [string, unknown[]] {
  return revisionsInsert([{ content, hash, signed }]);
}

/** The INSERT of several revisions, in chain order. */
function revisionsInsert(rows: PendingRevision[]): [string, unknown[]] {
  const params: unknown[] = [];
  const values = rows.map(({ content, hash, signed }) => {
    const n = params.push(
      content.workspaceId,
      content.chainIndex,
      content.entityType,
      content.entityId,
      content.icpId,
      content.revision,
      content.action,
      content.actorId,
      content.actorLabel,
      content.reason,
      json(content.before),
      json(content.after),
      json(content.patch),
      content.prevHash,
      hash,
      signed?.keyId ?? null,
      signed?.signature ?? null,
    );
    const $ = (i: number) => `$${n - 17 + i}`;
    return `(${[1, 2, 3, 4, 5, 6, 7, 8, 9].map($).join(', ')}, now(), ${[10, 11, 12, 13, 14, 15, 16, 17].map($).join(', ')})`;
  });
  return [
    `INSERT INTO revision (workspace_id, chain_index, entity_type, entity_id, icp_id, revision, action, actor_id, actor_label, at, reason, before, after, patch, prev_hash, hash, key_id, signature)
     VALUES ${values.join(',\n            ')}`,
    params,
  ];
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
