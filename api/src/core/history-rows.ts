import { GENESIS_HASH } from './hash-chain';
import { type HistoryCheckpoint, signCheckpoint } from './history-checkpoint';
import type { HistoryKeyring } from './history-keys';
import type { ChainSource, VerifiableRow } from './history-verifier';

/**
 * Reading a chain from PostgreSQL for the verifier, in keyset batches (by
 * chain index, on the unique index): bounded memory, whatever the length.
 * Shared by the server (on the request's connection, under row-level
 * security) and the CLI's --system mode (a read-only transaction of its own).
 */

/** The chain of global events (sign-ins), outside every workspace: what an auditor of the whole system checks. */
export const SYSTEM_CHAIN = '00000000-0000-0000-0000-000000000000';

/** The columns of a revision as the verifier and the history stream read them. */
export const CHAIN_COLUMNS = `seq, workspace_id AS "workspaceId", chain_index AS "chainIndex", entity_type AS "entityType",
  entity_id AS "entityId", icp_id AS "icpId", revision, action, actor_id AS "actorId", actor_label AS "actorLabel", at,
  reason, before, after, patch, prev_hash AS "prevHash", hash, key_id AS "keyId", signature,
  (extract(epoch FROM at) * 1000000)::bigint::text AS "atMicros"`;

/** A revision as read with CHAIN_COLUMNS. */
export type ChainRow = VerifiableRow & { seq: string; at: Date | string };

export type SqlQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

export const CHAIN_BATCH = 2000;

/** The chain of `workspace` from an index on, one batch per query. */
export function chainBatches(query: SqlQuery, workspace: string, batch = CHAIN_BATCH): ChainSource<ChainRow> {
  return async function* (from: number) {
    let next = from;
    for (;;) {
      const rows = (await query(
        `SELECT ${CHAIN_COLUMNS} FROM revision WHERE workspace_id = $1 AND chain_index >= $2 ORDER BY chain_index LIMIT $3`,
        [workspace, next, batch],
      )) as ChainRow[];
      if (rows.length) yield rows;
      if (rows.length < batch) return;
      next = rows[rows.length - 1].chainIndex + 1;
    }
  };
}

/** The last index accepted unsigned (written before signing began) in `workspace`'s chain. */
export async function lastUnsignedIndex(query: SqlQuery, workspace: string): Promise<number> {
  const [prefix] = (await query(
    'SELECT last_chain_index AS "last" FROM history_unsigned_prefix WHERE workspace_id = $1',
    [workspace],
  )) as { last: number }[];
  return prefix?.last ?? 0;
}

/** The head of `workspace`'s chain: its index (0 when empty) and hash (null when empty). */
export async function chainHead(
  query: SqlQuery,
  workspace: string,
): Promise<{ chainIndex: number; hash: string | null }> {
  const [head] = (await query(
    'SELECT chain_index AS "chainIndex", hash FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1',
    [workspace],
  )) as { chainIndex: number; hash: string }[];
  return head ?? { chainIndex: 0, hash: null };
}

/** The chain's head now, signed now: what historyCheckpoint answers and the scheduler writes. */
export async function headCheckpoint(
  query: SqlQuery,
  ring: HistoryKeyring,
  workspace: string,
): Promise<HistoryCheckpoint> {
  const head = await chainHead(query, workspace);
  return signCheckpoint(ring, {
    workspace,
    chainIndex: head.chainIndex,
    headHash: head.hash ?? GENESIS_HASH,
    at: new Date(),
  });
}
