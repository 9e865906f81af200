import { compare } from 'fast-json-patch';
import type { RequestContext } from './context';
import { afterCommit } from '../db/transaction';
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
 * writers can never fork the chain.
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
  const m = ctx.manager;
  if (!m) throw new Error('recordRevision must run inside withTransaction');
  await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [HISTORY_LOCK, change.workspaceId]);
  const [head] = await m.query(
    `SELECT (extract(epoch FROM now()) * 1000000)::bigint::text AS "atMicros",
            (SELECT hash FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1) AS "prevHash",
            (SELECT max(chain_index) FROM revision WHERE workspace_id = $1) AS "lastIndex"`,
    [change.workspaceId],
  );
  const before = snapshotOf(change.before);
  const after = snapshotOf(change.after);
  const content: ChainedContent = {
    workspaceId: change.workspaceId,
    chainIndex: Number(head.lastIndex ?? 0) + 1,
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
    patch: compare(before ?? {}, after ?? {}),
    prevHash: head.prevHash ?? GENESIS_HASH,
  };
  const hash = revisionHash(content);
  await m.query(...revisionInsert(content, hash, sign(hash)));
  const { checkpoints } = ctx;
  if (checkpoints) afterCommit(ctx, () => checkpoints.revisionCommitted(content.workspaceId, content.chainIndex));
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
  return [
    `INSERT INTO revision (workspace_id, chain_index, entity_type, entity_id, icp_id, revision, action, actor_id, actor_label, at, reason, before, after, patch, prev_hash, hash, key_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
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
    ],
  ];
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
