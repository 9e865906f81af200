import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type ChainedContent, chainedContent, type ChainedRow, revisionHash } from '../../api/src/core/hash-chain';
import { type HistoryKeyring, type RevisionSignature, signRevision } from '../../api/src/core/history-keys';
import { revisionInsert } from '../../api/src/core/revision-writer';
import type { TestServer } from './server';

/** The attacks on the history the tests make: as the application's role, and as the database owner. */

/**
 * Appends a revision as icp_app, the way the writer does (next index, link to
 * the head, hash of the canonical content), with the signature `sign` gives.
 */
export async function appendAsApp(
  t: TestServer,
  workspaceId: string,
  sign: (hash: string) => RevisionSignature | null,
): Promise<number> {
  const qr = t.ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    expect((await qr.query('SELECT current_user AS u'))[0].u).toBe('icp_app');
    await qr.query(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    const [head] = await qr.query(
      `SELECT chain_index AS "chainIndex", hash, (extract(epoch FROM now()) * 1000000)::bigint::text AS "atMicros"
         FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1`,
      [workspaceId],
    );
    const after = { name: 'Forged persona' };
    const content: ChainedContent = {
      workspaceId,
      chainIndex: head.chainIndex + 1,
      entityType: 'Persona',
      entityId: randomUUID(),
      icpId: null,
      revision: 1,
      action: 'CREATE',
      actorId: null,
      actorLabel: 'forger',
      atMicros: head.atMicros,
      reason: null,
      before: null,
      after,
      patch: [{ op: 'add', path: '/name', value: after.name }],
      prevHash: head.hash,
    };
    const hash = revisionHash(content);
    await qr.query(...revisionInsert(content, hash, sign(hash)));
    await qr.commitTransaction();
    return content.chainIndex;
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    await qr.release();
  }
}

/** Runs `fn` as the database owner with the history's append-only trigger off: what only the owner can do. */
export async function asOwnerUnguarded<T>(t: TestServer, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    await c.query('ALTER TABLE revision DISABLE TRIGGER revision_no_update_delete');
    return await fn(c);
  } finally {
    await c.query('ALTER TABLE revision ENABLE TRIGGER revision_no_update_delete').catch(() => undefined);
    await c.end();
  }
}

/**
 * The owner's rewrite: revision k of the chain changed, and every hash from k
 * to the head recomputed so that each links to the one before; re-signed only
 * by whoever holds `ring` (null: the signatures stay as they were).
 */
export async function rewriteFrom(t: TestServer, workspaceId: string, k: number, ring: HistoryKeyring | null) {
  await asOwnerUnguarded(t, async (c) => {
    const { rows } = await c.query(
      `SELECT workspace_id AS "workspaceId", chain_index AS "chainIndex", entity_type AS "entityType", entity_id AS "entityId",
              icp_id AS "icpId", revision, action, actor_id AS "actorId", actor_label AS "actorLabel",
              (extract(epoch FROM at) * 1000000)::bigint::text AS "atMicros", reason, before, after, patch,
              prev_hash AS "prevHash", hash
         FROM revision WHERE workspace_id = $1 AND chain_index >= $2 ORDER BY chain_index`,
      [workspaceId, k],
    );
    let prevHash = (rows[0] as ChainedRow).prevHash;
    for (const row of rows as ChainedRow[]) {
      const content = { ...chainedContent(row), prevHash, reason: row.chainIndex === k ? 'rewritten' : row.reason };
      const hash = revisionHash(content);
      const signed = ring ? signRevision(ring, hash) : null;
      await c.query(
        `UPDATE revision SET reason = $3, prev_hash = $4, hash = $5, key_id = coalesce($6, key_id), signature = coalesce($7, signature)
          WHERE workspace_id = $1 AND chain_index = $2`,
        [workspaceId, row.chainIndex, content.reason, prevHash, hash, signed?.keyId ?? null, signed?.signature ?? null],
      );
      prevHash = hash;
    }
  });
}
