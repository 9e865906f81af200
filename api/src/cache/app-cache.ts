import type { DataSource } from 'typeorm';
import { CHANNEL, Notifications } from '../db/notifications';
import type { Logger } from '../logger';
import type { CompiledModel } from '../scoring-engine/engine';
import type { Principal } from '../auth/principal';
import { metrics } from '../observability/metrics';

/** An ICP as client tools name it (id or slug), with its latest published version. */
export interface IcpHead {
  icpId: string;
  slug: string;
  latest: number | null;
}

const MAX_MODELS = 500;

/**
 * What one API process keeps in memory so a warm fitScore runs no SQL:
 * compiled models (immutable: a published version never changes), ICP heads
 * and workspace ids. Heads and workspaces are dropped when any process
 * publishes, renames or deletes (PostgreSQL NOTIFY), and all of them after the
 * notification connection was lost.
 */
export class AppCache {
  readonly models = new Map<string, Promise<CompiledModel>>();
  private readonly heads = new Map<string, IcpHead>();
  private readonly principals = new Map<string, Principal | null>();
  private readonly keyUses = new Map<string, Date>();
  private notifications?: Notifications;
  private flushTimer?: NodeJS.Timeout;
  private ds?: DataSource;

  async start(ds: DataSource, log?: Logger): Promise<void> {
    this.ds = ds;
    this.notifications = new Notifications(listenUrlOf(ds), log);
    this.notifications.on(CHANNEL.icp, (p) => this.dropIcp(String(p.workspaceId), String(p.icpId)));
    this.notifications.on(CHANNEL.workspace, () => this.dropPrincipals());
    this.notifications.on(CHANNEL.auth, () => this.dropPrincipals());
    this.notifications.onReset(() => {
      this.heads.clear();
      this.dropPrincipals();
    });
    await this.notifications.start();
    // API keys' last use is written in the background, at most once a minute, never on the request path.
    this.flushTimer = setInterval(
      () => void this.flushKeyUses().catch((err) => log?.warn({ err }, 'could not record API key use')),
      60_000,
    );
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushKeyUses().catch(() => undefined);
    await this.notifications?.stop();
  }

  principal(key: string): Principal | null | undefined {
    const found = this.principals.get(key);
    (found === undefined ? metrics.cache.principal.miss : metrics.cache.principal.hit).inc();
    return found;
  }

  /** Bumped by every drop: a look-up that began before a drop (say, a key's revocation) must not be cached after it. */
  private principalEpoch = 0;
  get principalsEpoch(): number {
    return this.principalEpoch;
  }

  /** Caches a look-up made when the epoch was `epoch`, unless the cache was dropped since. */
  setPrincipal(key: string, principal: Principal | null, epoch: number): void {
    if (epoch !== this.principalEpoch) return;
    if (this.principals.size > 50_000) this.principals.clear();
    this.principals.set(key, principal);
  }

  dropPrincipals(): void {
    this.principalEpoch++;
    this.principals.clear();
  }

  noteKeyUse(keyId: string): void {
    this.keyUses.set(keyId, new Date());
  }

  async flushKeyUses(): Promise<void> {
    if (!this.keyUses.size || !this.ds?.isInitialized) return;
    const uses = [...this.keyUses];
    this.keyUses.clear();
    // Across workspaces, outside any request: a SECURITY DEFINER function that does only this.
    await this.ds.query('SELECT icp_record_api_key_use($1::uuid[], $2::timestamptz[])', [
      uses.map(([id]) => id),
      uses.map(([, at]) => at),
    ]);
  }

  head(workspaceId: string, idOrSlug: string): IcpHead | undefined {
    const found = this.heads.get(`${workspaceId}:${idOrSlug}`);
    (found ? metrics.cache.head.hit : metrics.cache.head.miss).inc();
    return found;
  }

  setHead(workspaceId: string, head: IcpHead): void {
    this.heads.set(`${workspaceId}:${head.icpId}`, head);
    this.heads.set(`${workspaceId}:${head.slug}`, head);
  }

  dropIcp(workspaceId: string, icpId: string): void {
    const head = this.heads.get(`${workspaceId}:${icpId}`);
    this.heads.delete(`${workspaceId}:${icpId}`);
    if (head) this.heads.delete(`${workspaceId}:${head.slug}`);
  }

  model(icpId: string, version: number, build: () => Promise<CompiledModel>): Promise<CompiledModel> {
    const key = `${icpId}:${version}`;
    let m = this.models.get(key);
    (m ? metrics.cache.model.hit : metrics.cache.model.miss).inc();
    if (!m) {
      if (this.models.size >= MAX_MODELS) this.models.delete(this.models.keys().next().value!);
      m = build();
      // A failed build is not cached.
      m.catch(() => this.models.delete(key));
      this.models.set(key, m);
    }
    return m;
  }
}

export function listenUrlOf(ds: DataSource): string {
  return (ds.options as { url: string }).url;
}
