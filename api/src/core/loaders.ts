import DataLoader from 'dataloader';
import {
  type FindOptionsOrder,
  type FindOptionsWhere,
  In,
  type ObjectLiteral,
  type DataSource,
  type EntityManager,
} from 'typeorm';

/** What the loaders read: the request's workspace and data source (a RequestContext is one). */
export interface LoaderScope {
  readonly ds: DataSource;
  readonly workspaceId: string;
}

type Class<E> = new () => E;
type Order = Record<string, 'ASC' | 'DESC'>;

/**
 * The typed, per-request DataLoader registry. A loader is made on first use
 * and lives as long as the request, so nothing cached crosses requests or
 * workspaces; each batch is one query whatever the number of parents.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();
  /** `read` gives the connection to read with when a batch runs (`db(ctx)`: the request's transaction, if any). */
  constructor(
    private readonly ctx: LoaderScope,
    private readonly read: () => EntityManager,
  ) {}

  private get<V>(key: string, batch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch);
      this.cache.set(key, loader);
    }
    return loader;
  }

  /** One record by id, or null when it is absent from this workspace. */
  byId<E extends { id: string }>(entity: Class<E>): DataLoader<string, E | null> {
    return this.get(`byId:${entity.name}`, async (ids) => {
      const rows = await this.read().find(entity, { where: this.scope(entity, { id: In([...ids]) }) });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
  }

  /** The children of each parent id through the foreign key `fk`, in `order`. */
  children<E extends ObjectLiteral>(
    entity: Class<E>,
    fk: keyof E & string,
    order: Order = { position: 'ASC', createdAt: 'ASC' },
  ): DataLoader<string, E[]> {
    // The order is part of the key: the same children in another order are another load.
    const key = `children:${entity.name}:${fk}:${Object.entries(order)
      .map(([k, dir]) => `${k} ${dir}`)
      .join(',')}`;
    return this.get(key, async (ids) => {
      const meta = this.ctx.ds.getMetadata(entity);
      const usable = Object.fromEntries(Object.entries(order).filter(([k]) => meta.findColumnWithPropertyName(k)));
      const rows = await this.read().find(entity, {
        where: this.scope(entity, { [fk]: In([...ids]) }),
        order: usable as FindOptionsOrder<E>,
      });
      const groups = new Map<string, E[]>(ids.map((id) => [id, []]));
      for (const row of rows) groups.get((row as Record<string, string>)[fk])?.push(row);
      return ids.map((id) => groups.get(id)!);
    });
  }

  /** The latest published version number of each ICP (null when never published). */
  latestVersion(): DataLoader<string, number | null> {
    return this.get('latestVersion', async (ids) => {
      const rows: { icp_id: string; v: number }[] = await this.read().query(
        'SELECT icp_id, max(version) AS v FROM icp_version WHERE workspace_id = $1 AND icp_id = ANY($2) GROUP BY icp_id',
        [this.ctx.workspaceId, ids],
      );
      const map = new Map(rows.map((r) => [r.icp_id, Number(r.v)]));
      return ids.map((id) => map.get(id) ?? null);
    });
  }

  private scope<E extends ObjectLiteral>(entity: Class<E>, where: Record<string, unknown>): FindOptionsWhere<E> {
    const tenant = this.ctx.ds.getMetadata(entity).findColumnWithPropertyName('workspaceId');
    return (tenant ? { ...where, workspaceId: this.ctx.workspaceId } : where) as FindOptionsWhere<E>;
  }
}
