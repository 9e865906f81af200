import { createHash, randomUUID } from 'node:crypto';
import { db, type RequestContext } from '../../core/context';
import { afterCommit } from '../../db/transaction';
import type { WebhookEvent } from './webhook.entity';

/** Runs one SQL statement on the caller's connection (inside its transaction), returning the rows. */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

// The namespace of the event ids derived from what an event reports (a version 5 UUID's, RFC 9562).
const EVENT_ID_NAMESPACE = Buffer.from('5b0c6c1e7f2a4d0e9a51c3e8d2f4b617', 'hex');

/** The id of the event named `name`: a version 5 UUID, the same in every process for the same name. */
export function namedEventId(name: string): string {
  const h = createHash('sha1').update(EVENT_ID_NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** history.checkpoint's event id: one event per (workspace, chain index), however many processes keep it. */
export const checkpointEventId = (workspace: string, chainIndex: number) =>
  namedEventId(`history.checkpoint/${workspace}/${chainIndex}`);

/**
 * The outbox: an event becomes one `webhook_delivery` row per active webhook
 * of the workspace subscribed to it, written on the caller's connection, so
 * in the transaction of the change it reports. A rolled-back publish leaves
 * no row, hence no delivery; a committed one leaves rows that the delivery
 * worker (delivery-worker.ts) sends, in this process or any other, after a
 * restart too. An event given its `id` (derived from what it reports) is
 * recorded once per webhook: writing it again writes nothing (a unique index
 * on the webhook and event id).
 */
export async function writeEvent(
  query: Query,
  workspaceId: string,
  type: WebhookEvent,
  data: Record<string, unknown>,
  id: string = randomUUID(),
): Promise<number> {
  const body = JSON.stringify({ id, type, createdAt: new Date().toISOString(), workspaceId, data });
  // Row-level security applies: the caller's session sees its own workspace's webhooks only.
  const [row] = await query(
    `WITH made AS (
       INSERT INTO webhook_delivery (workspace_id, webhook_id, event_id, event, body)
       SELECT w.workspace_id, w.id, $2, $3, $4 FROM webhook w WHERE w.workspace_id = $1 AND w.active AND $3 = ANY(w.events)
       ON CONFLICT (webhook_id, event_id) WHERE redelivery_of IS NULL DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM made`,
    [workspaceId, id, type, body],
  );
  return Number(row?.n ?? 0);
}

// This process's delivery workers, woken once an event's transaction commits; other processes find it by polling.
const wakers = new Set<() => void>();

/** Calls `wake` after each commit that wrote deliveries in this process; returns the unsubscribe. */
export function onEventsCommitted(wake: () => void): () => void {
  wakers.add(wake);
  return () => void wakers.delete(wake);
}

export function wakeWorkers(): void {
  for (const wake of wakers) wake();
}

/** Records an event in the request's transaction: it is delivered if, and only if, that transaction commits. */
export async function recordEvent(
  ctx: RequestContext,
  type: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  const made = await writeEvent((sql, params) => db(ctx).query(sql, params), ctx.workspaceId, type, data);
  if (made) afterCommit(ctx, wakeWorkers);
}
