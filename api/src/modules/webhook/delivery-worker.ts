import http from 'node:http';
import https from 'node:https';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { DbSession } from '../../db/session';
import { detached } from '../../db/query-counter';
import type { HistoryCheckpoint } from '../../core/history-checkpoint';
import { checkpointEventId, onEventsCommitted, type Query, wakeWorkers, writeEvent } from './events';
import { openSecret } from './secret-box';
import { EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature';
import { guardedLookup, type TargetPolicy, targetProblem } from './target';
import { WebhookDeliveryStatus, WebhookEvent } from './webhook.entity';

export interface WebhookSettings extends TargetPolicy {
  /** How often each process looks for due deliveries (a commit in this process wakes it at once). */
  pollMs: number;
  /** How long one attempt may take, connection and answer included. */
  timeoutMs: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each (capped at 6 hours), plus up to 10% jitter. */
  retryBaseMs: number;
}

/** What one attempt came to: the one place to count deliveries (metrics) besides the log line. */
export interface DeliveryResult {
  deliveryId: string;
  webhookId: string;
  workspaceId: string;
  event: string;
  attempt: number;
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

interface Attempt {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
  /** Retrying cannot help (the webhook was switched off). */
  permanent?: boolean;
}

interface Due {
  id: string;
  webhook_id: string;
  workspace_id: string;
  event: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  secret_sealed: string;
  active: boolean;
}

/** A row `icp_webhook_claim` gave this worker, with the lease token of this claim. */
interface Claim {
  id: string;
  workspace_id: string;
  lease: string;
}

const BATCH = 10;
const EXCERPT_CHARS = 256;
const MAX_BACKOFF_MS = 6 * 3600_000;

/**
 * Sends the outbox (events.ts) in every API process: claims due deliveries
 * across workspaces with `icp_webhook_claim` (FOR UPDATE SKIP LOCKED and a
 * lease, so processes never send the same row at once, and a crashed
 * process's claim lapses), POSTs each signed body with a timeout, without
 * following redirects, to an address checked when connecting, and records
 * the attempt, if its claim's lease token is still the row's: delivered,
 * retried later with exponential backoff, or failed after `maxAttempts`.
 * At least once: a receiver deduplicates by event id.
 */
export class DeliveryWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly ds: DataSource,
    private readonly serverSecret: Uint8Array,
    private readonly settings: WebhookSettings,
    private readonly log: Logger,
    /** Told of every attempt (e.g. a metrics counter). */
    private readonly listener?: (result: DeliveryResult) => void,
  ) {}

  start(): void {
    this.unsubscribe = onEventsCommitted(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.settings.pollMs).unref();
    this.wake();
  }

  /** Looks for due deliveries now (again once the current round ends, if one is under way). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Woken by a request's commit, the round is not that request's work (its statements are not counted for it).
    this.running = detached(() => this.drain()).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Stops looking and waits for the attempts under way (each ends within timeoutMs). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }

  /**
   * history.checkpoint: a signed checkpoint is kept. Its event id is the (workspace, chain index)'s, so however many
   * times it is reported (two processes keeping it at once, a retry after a crash) it is recorded once.
   */
  async checkpointWritten(checkpoint: HistoryCheckpoint): Promise<void> {
    const { workspace, chainIndex, headHash, at, keyId, signature } = checkpoint;
    const data = { workspace, chainIndex, headHash, at: at.toISOString(), keyId, signature };
    const id = checkpointEventId(workspace, chainIndex);
    const made = await this.inWorkspace(workspace, (q) =>
      writeEvent(q, workspace, WebhookEvent.HISTORY_CHECKPOINT, data, id),
    );
    if (made) wakeWorkers();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const lease = this.settings.timeoutMs + 30_000;
        const claimed: Claim[] = await this.ds.query('SELECT * FROM icp_webhook_claim($1, $2)', [BATCH, lease]);
        await Promise.all(claimed.map((c) => this.deliver(c)));
        if (claimed.length < BATCH) return;
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'webhook deliveries: could not claim or record; retrying later');
    }
  }

  /** A unit of work in a workspace (row-level security shows its rows only), committed at the end. */
  private async inWorkspace<T>(workspaceId: string, fn: (q: Query) => Promise<T>): Promise<T> {
    const session = new DbSession(this.ds, workspaceId);
    let result: T;
    try {
      result = await fn((sql, params) => session.manager.query(sql, params));
    } catch (e) {
      await session.end(false).catch(() => undefined);
      throw e;
    }
    await session.end(true);
    return result;
  }

  /**
   * One attempt at a claimed row. Its row is read, and the attempt recorded, only where it still carries this claim's
   * lease token: a worker whose lease lapsed (a receiver slower than the lease) while another claimed the row since
   * writes nothing over the newer claim's attempt.
   */
  private async deliver({ id, workspace_id: workspaceId, lease }: Claim): Promise<void> {
    const [due] = (await this.inWorkspace(workspaceId, (q) =>
      q(
        `SELECT d.id, d.webhook_id, d.workspace_id, d.event, d.event_id, d.body, d.attempts, w.url, w.secret_sealed, w.active
           FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
          WHERE d.id = $1 AND d.status = 'PENDING' AND d.lease = $2`,
        [id, lease],
      ),
    )) as unknown as Due[];
    if (!due) return;
    const attempt = due.active
      ? await this.post(due)
      : { statusCode: null, latencyMs: 0, error: 'the webhook is switched off', excerpt: null, permanent: true };
    const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const attempts = due.attempts + 1;
    const status = ok
      ? WebhookDeliveryStatus.DELIVERED
      : attempt.permanent || attempts >= this.settings.maxAttempts
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;
    const now = new Date();
    const next = status === WebhookDeliveryStatus.PENDING ? new Date(now.getTime() + this.backoff(attempts)) : null;
    const recorded = await this.inWorkspace(workspaceId, (q) =>
      // Counted in SQL: TypeORM answers an UPDATE with [rows, rowCount] whatever it matched.
      q(
        `WITH recorded AS (
           UPDATE webhook_delivery SET attempts = $2, status = $3, next_attempt_at = $4, locked_until = NULL, lease = NULL,
                  last_attempt_at = $5, last_status_code = $6, last_latency_ms = $7, last_error = $8,
                  response_excerpt = $9, delivered_at = $10
            WHERE id = $1 AND lease = $11
           RETURNING 1)
         SELECT count(*)::int AS n FROM recorded`,
        [
          id,
          attempts,
          status,
          next,
          now,
          attempt.statusCode,
          Math.round(attempt.latencyMs),
          attempt.error,
          attempt.excerpt,
          ok ? now : null,
          lease,
        ],
      ),
    );
    if (recorded[0]?.n !== 1) {
      // Not an outcome of the row: the claim holding it now reports its own attempt (log line and metrics).
      this.log.warn(
        { deliveryId: id, attempt: attempts, statusCode: attempt.statusCode },
        'webhook delivery: the lease lapsed and the row was claimed again; this attempt is not recorded',
      );
      return;
    }
    this.onDelivery({
      deliveryId: id,
      webhookId: due.webhook_id,
      workspaceId,
      event: due.event,
      attempt: attempts,
      status,
      statusCode: attempt.statusCode,
      latencyMs: Math.round(attempt.latencyMs),
      error: attempt.error,
    });
  }

  /** Every attempt's outcome passes here: the log line, and the listener (metrics). */
  private onDelivery(result: DeliveryResult): void {
    const level = result.status === WebhookDeliveryStatus.FAILED ? 'warn' : 'debug';
    this.log[level](result, 'webhook delivery');
    this.listener?.(result);
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.settings.retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    return Math.round(base * (1 + Math.random() * 0.1));
  }

  /** One POST: signed now, bounded in time, no redirect followed, only the start of the answer kept. */
  private post(due: Due): Promise<Attempt> {
    const failed = (error: string): Attempt => ({ statusCode: null, latencyMs: 0, error, excerpt: null });
    const checked = targetProblem(due.url, this.settings);
    if (typeof checked === 'string') return Promise.resolve(failed(`target refused: ${checked}`));
    const { target } = checked;
    let secret: string;
    try {
      secret = openSecret(this.serverSecret, due.secret_sealed);
    } catch (e) {
      return Promise.resolve(failed((e as Error).message));
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'icp-registry-webhooks/1',
      [ID_HEADER]: due.event_id,
      [EVENT_HEADER]: due.event,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, due.body),
    };
    const started = performance.now();
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const done = (a: Omit<Attempt, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve({ ...a, latencyMs: performance.now() - started });
      };
      const client = target.url.protocol === 'https:' ? https : http;
      const req = client.request(
        target.url,
        { method: 'POST', headers, lookup: guardedLookup(target, this.settings.resolve), agent: false },
        (res) => {
          let excerpt = '';
          const finish = () => {
            const code = res.statusCode ?? null;
            const location = res.headers.location;
            const error =
              code !== null && code >= 300 && code < 400
                ? `answered ${code}: redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ''}`
                : code !== null && (code < 200 || code >= 300)
                  ? `answered ${code}`
                  : null;
            done({ statusCode: code, error, excerpt: excerpt || null });
          };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            excerpt += chunk;
            if (excerpt.length >= EXCERPT_CHARS) {
              excerpt = excerpt.slice(0, EXCERPT_CHARS);
              finish();
            }
          });
          res.on('end', finish);
          res.on('error', finish);
        },
      );
      const timer = setTimeout(
        () => done({ statusCode: null, error: `no answer within ${this.settings.timeoutMs} ms`, excerpt: null }),
        this.settings.timeoutMs,
      );
      req.on('error', (e) => done({ statusCode: null, error: e.message, excerpt: null }));
      req.end(due.body);
    });
  }
}
