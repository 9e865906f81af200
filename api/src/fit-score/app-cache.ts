import type { DataSource } from 'typeorm';
import { CHANNEL, Notifications } from '../db/notifications';
import type { Logger } from '../logger';
import type { CompiledModel } from '../scoring/engine';

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
  private readonly workspaces = new Map<string, string>();
  private notifications?: Notifications;

  async start(listenUrl: string, log?: Logger): Promise<void> {
    this.notifications = new Notifications(listenUrl, log);
    this.notifications.on(CHANNEL.icp, (p) => this.dropIcp(String(p.workspaceId), String(p.icpId)));
    this.notifications.on(CHANNEL.workspace, () => this.workspaces.clear());
    this.notifications.onReset(() => {
      this.heads.clear();
      this.workspaces.clear();
    });
    await this.notifications.start();
  }

  stop(): Promise<void> {
    return this.notifications?.stop() ?? Promise.resolve();
  }

  head(workspaceId: string, idOrSlug: string): IcpHead | undefined {
    return this.heads.get(`${workspaceId}:${idOrSlug}`);
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
    if (!m) {
      if (this.models.size >= MAX_MODELS) this.models.delete(this.models.keys().next().value!);
      m = build();
      // A failed build is not cached.
      m.catch(() => this.models.delete(key));
      this.models.set(key, m);
    }
    return m;
  }

  workspace(slug: string): string | undefined {
    return this.workspaces.get(slug);
  }

  setWorkspace(slug: string, id: string): void {
    this.workspaces.set(slug, id);
  }

  dropWorkspaces(): void {
    this.workspaces.clear();
  }
}

export function listenUrlOf(ds: DataSource): string {
  return (ds.options as { url: string }).url;
}
