import { chainedContent, revisionHash } from '../../api/src/core/hash-chain';
import { CHAIN_COLUMNS, type ChainRow } from '../../api/src/core/history-rows';
import type { TestServer } from './server';

/**
 * The database owner's attack on a workspace's history (issue 15): rewrite
 * revision k's reason and recompute every hash from it to the head, so the
 * chain links and hashes hold again; only the signatures, made with a key
 * the database never holds, and a kept checkpoint can tell. Returns the
 * rewritten revision.
 */
export async function rewriteHistoryAsOwner(
  t: Pick<TestServer, 'sql'>,
  workspace: string,
  k: number,
  reason: string,
): Promise<ChainRow> {
  const rows = await t.sql<ChainRow>(
    `SELECT ${CHAIN_COLUMNS} FROM revision WHERE workspace_id = $1 AND chain_index >= $2 ORDER BY chain_index`,
    [workspace, k],
  );
  rows[0].reason = reason;
  let prevHash = rows[0].prevHash;
  for (const row of rows) {
    row.prevHash = prevHash;
    row.hash = revisionHash(chainedContent(row));
    prevHash = row.hash;
  }
  await t.sql('ALTER TABLE revision DISABLE TRIGGER revision_no_update_delete');
  try {
    await t.sql(
      `UPDATE revision r SET reason = CASE WHEN r.chain_index = $2 THEN $3 ELSE r.reason END, prev_hash = v.prev, hash = v.hash
         FROM unnest($4::int[], $5::text[], $6::text[]) AS v(i, prev, hash)
        WHERE r.workspace_id = $1 AND r.chain_index = v.i`,
      [workspace, k, reason, rows.map((r) => r.chainIndex), rows.map((r) => r.prevHash), rows.map((r) => r.hash)],
    );
  } finally {
    await t.sql('ALTER TABLE revision ENABLE TRIGGER revision_no_update_delete');
  }
  return rows[0];
}
