import { Client } from 'pg';
import type { Logger } from '../logger';

export type Handler = (payload: Record<string, unknown>) => void;

/**
 * One LISTEN connection per process: caches in every API process on the same
 * database hear about publishes and renames (NOTIFY is sent inside the
 * writing transaction, so it arrives only if that commits). After a lost
 * connection it reconnects and tells every listener to drop everything,
 * since notifications may have been missed meanwhile.
 */
export class Notifications {
  private client?: Client;
  private readonly handlers = new Map<string, Handler[]>();
  private readonly resetHandlers: (() => void)[] = [];
  private stopped = false;
  private retryMs = 250;

  constructor(
    private readonly url: string,
    private readonly log?: Logger,
  ) {}

  on(channel: string, handler: Handler): void {
    if (!this.handlers.has(channel)) this.handlers.set(channel, []);
    this.handlers.get(channel)!.push(handler);
  }

  /** Called after a reconnect: notifications may have been lost. */
  onReset(handler: () => void): void {
    this.resetHandlers.push(handler);
  }

  async start(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: 'icp-api-listen',
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      let payload: Record<string, unknown> = {};
      try {
        payload = msg.payload ? JSON.parse(msg.payload) : {};
      } catch {
        this.log?.warn({ channel: msg.channel }, 'unreadable notification');
      }
      for (const h of this.handlers.get(msg.channel) ?? []) h(payload);
    });
    // Only the current connection's loss matters; a failed attempt's events are ignored (its retry is scheduled).
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.log?.warn({ err: err?.message }, 'notification connection lost');
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (e) {
      client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 250;
  }

  private reconnecting = false;
  /** Reconnects with backoff (250 ms doubling to 1 s); caches are dropped now and again once listening. */
  private reconnect(): void {
    if (this.stopped || this.reconnecting) return;
    this.reconnecting = true;
    const old = this.client;
    this.client = undefined;
    old?.end().catch(() => undefined);
    const attempt = () => {
      if (this.stopped) return;
      this.start().then(
        () => {
          this.reconnecting = false;
          this.log?.info('notification connection restored');
          this.resetHandlers.forEach((h) => h());
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 1000);
          setTimeout(attempt, this.retryMs).unref();
        },
      );
    };
    this.resetHandlers.forEach((h) => h());
    setTimeout(attempt, this.retryMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export const CHANNEL = {
  /** An ICP was published, renamed or deleted: {workspaceId, icpId}. */
  icp: 'icp_changed',
  /** A workspace was renamed or deleted: {workspaceId}. */
  workspace: 'workspace_changed',
  /** A user, membership or API key changed: cached principals are stale. */
  auth: 'auth_changed',
} as const;
