import type express from 'express';
import { GraphQLError } from 'graphql';
import type { AuthDeps } from '../core/context';
import { chainBatches, chainHead, lastUnsignedIndex } from '../core/history-rows';
import { authService } from '../auth/auth.service';
import { denial } from '../auth/policy';
import { DbSession } from '../db/session';
import type { Quotas } from '../auth/quotas';

/**
 * A stream holds a pooled connection in one transaction while it lasts: so at
 * most this many run at once in a process, a client that stops reading is cut
 * off after STALL_MS, and PostgreSQL ends the transaction if the process
 * itself stalls.
 */
export const MAX_HISTORY_STREAMS = 2;
export const STALL_MS = 30_000;
let streaming = 0;

/**
 * GET /v1/history?after=<index>: the workspace's chain from index after+1
 * on, as NDJSON, for a client that verifies it itself (icp verify-history):
 * first a line `{"workspace", "head", "lastUnsigned"}`, then one revision per
 * line in chain order. Read in keyset batches, each written only once the
 * client has taken the one before (backpressure): memory stays bounded
 * whatever the chain's length. Authenticated as /graphql is (API key bearer,
 * or session), allowed to whoever may use verifyHistory.
 */
export function historyStream(auth: AuthDeps, quotas?: Quotas): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const raw = req.query.after ?? '0';
      if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) {
        res.status(400).json({ error: `after must be a chain index (a whole number), got ${JSON.stringify(raw)}` });
        return;
      }
      const principal = await authService.authenticate(req, auth);
      const no = denial('verifyHistory', principal?.role ?? null);
      if (no || !principal) {
        res.status(no?.status ?? 401).json({ error: no?.message ?? 'Sign in first', code: no?.code });
        return;
      }
      // A request like any other for the principal's quota (a 429 when used up).
      await quotas?.takeRequest(principal);
      if (streaming >= MAX_HISTORY_STREAMS) {
        res.setHeader('retry-after', '5');
        res.status(503).json({
          error: `${MAX_HISTORY_STREAMS} history streams are already running in this process; retry shortly`,
          code: 'SERVICE_UNAVAILABLE',
        });
        return;
      }
      streaming++;
      try {
        await stream(auth, principal.workspaceId, Number(raw) + 1, res);
      } finally {
        streaming--;
      }
    } catch (e) {
      if (e instanceof GraphQLError) {
        const status = (e.extensions.http as { status?: number } | undefined)?.status ?? 401;
        res.status(status).json({ error: e.message, code: e.extensions.code });
      } else next(e);
    }
  };
}

async function stream(auth: AuthDeps, workspace: string, from: number, res: express.Response): Promise<void> {
  // One transaction of the workspace: row-level security shows its chain only.
  const session = new DbSession(auth.ds, workspace);
  const query = (sql: string, params: unknown[]) => session.manager.query<unknown[]>(sql, params);
  let closed = false;
  res.on('close', () => (closed = true));
  try {
    await query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [`${2 * STALL_MS}ms`]);
    const head = await chainHead(query, workspace);
    const lastUnsigned = await lastUnsignedIndex(query, workspace);
    res.status(200).type('application/x-ndjson');
    res.setHeader('cache-control', 'no-store');
    await write(res, `${JSON.stringify({ workspace, head: head.chainIndex, lastUnsigned })}\n`);
    for await (const rows of chainBatches(query, workspace)(from)) {
      if (closed) break;
      await write(res, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    }
    res.end();
  } finally {
    await session.end(true);
  }
}

/** Writes, and waits for the client to take it when the socket's buffer is full; a client stalled STALL_MS is cut off. */
function write(res: express.Response, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const stalled = setTimeout(() => res.destroy(), STALL_MS);
    const done = () => {
      clearTimeout(stalled);
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
