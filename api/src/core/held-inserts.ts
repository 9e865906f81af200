import { randomUUID } from 'node:crypto';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { constraintError } from './constraint-errors';
import type { RequestContext } from './context';
import { HeldRows, type RunQuery } from '../db/session';

type Row = Record<string, unknown>;

/** Parameters per INSERT, under PostgreSQL's 65,535. */
const PARAMETERS_PER_INSERT = 30_000;

/**
 * The value PostgreSQL would give a column left out of an INSERT, as TypeORM
 * would read it back; `undefined` when it cannot be known here (the row is
 * then written at once, as before).
 */
function defaultOf(column: ColumnMetadata): { value: unknown } | undefined {
  const d = column.default as unknown;
  // TypeORM sets a nullable column left out to null on the entity it saved.
  if (d === undefined) return column.isNullable ? { value: null } : undefined;
  if (typeof d === 'number' || typeof d === 'boolean' || typeof d === 'string') return { value: d };
  if (typeof d === 'function') {
    const sql = (d as () => string)();
    // Empty lists: text[] '{}' and jsonb '[]'.
    if (sql === "'{}'" && column.isArray) return { value: [] };
    if (sql === "'[]'") return { value: [] };
  }
  return undefined;
}

/**
 * New rows of an all-or-nothing unit (an ICP file's import), held back and
 * sent in multi-row INSERTs, in the order they were made, before the next
 * statement of any kind and before COMMIT (db/session.ts, DeferredWrites):
 * whatever reads or refers to them comes after them, as if each had been
 * written at once. Each row is made whole here, as PostgreSQL would have
 * returned it: its id, revision 1, the transaction's now() and the columns'
 * defaults. Its errors surface at the statement that sends it, which aborts
 * the unit whole, as any error of the unit does.
 */
export class HeldInserts extends HeldRows<{ meta: EntityMetadata; label: string; row: Row }> {
  constructor(private readonly ds: DataSource) {
    super();
  }

  /**
   * The row `next` of `meta`'s table made whole, held back; null when it
   * cannot be made here (a default only PostgreSQL knows): write it at once.
   */
  hold(meta: EntityMetadata, label: string, next: Row, at: Date): Row | null {
    const row: Row = { ...next };
    for (const column of meta.columns) {
      const key = column.propertyName;
      if (row[key] !== undefined) continue;
      if (column.isCreateDate || column.isUpdateDate) row[key] = at;
      else if (column.isPrimary && column.generationStrategy === 'uuid') row[key] = randomUUID();
      else if (column.isGenerated) return null;
      else {
        const d = defaultOf(column);
        if (!d) return null;
        row[key] = d.value;
      }
    }
    const entity = meta.create() as Row;
    for (const column of meta.columns) column.setEntityValue(entity, column.getEntityValue(row));
    this.rows.push({ meta, label, row: entity });
    return entity;
  }

  needs(): boolean {
    return this.unsent;
  }

  protected async send(rows: { meta: EntityMetadata; label: string; row: Row }[], run: RunQuery): Promise<void> {
    // Runs of one table in the order made, so what a row refers to is written before it.
    for (let i = 0; i < rows.length;) {
      const { meta, label } = rows[i];
      const max = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / meta.columns.length));
      let j = i + 1;
      while (j < rows.length && j - i < max && rows[j].meta === meta) j++;
      const batch = rows.slice(i, j);
      try {
        await run(...this.insert(meta, batch));
      } catch (e) {
        // Said as a single write would say it: the field, and its value when the INSERT had one row.
        throw constraintError(meta, label, e, batch.length === 1 ? batch[0].row : undefined) ?? e;
      }
      i = j;
    }
  }

  /** One INSERT of rows of `meta`'s table, each value as TypeORM would send it (its transformer, JSON, lists). */
  private insert(meta: EntityMetadata, rows: { row: Row }[]): [string, unknown[]] {
    const driver = this.ds.driver;
    const params: unknown[] = [];
    const values = rows.map(({ row }) => {
      const cells = meta.columns.map((column) => {
        // The column's own default: the transaction's now(), to the microsecond, as a single write stores.
        if (column.isCreateDate || column.isUpdateDate) return 'now()';
        const value = column.getEntityValue(row, true);
        if (value === undefined) return 'DEFAULT';
        return `$${params.push(driver.preparePersistentValue(value, column))}`;
      });
      return `(${cells.join(', ')})`;
    });
    const columns = meta.columns.map((c) => `"${c.databaseName}"`).join(', ');
    return [`INSERT INTO "${meta.tableName}" (${columns}) VALUES ${values.join(', ')}`, params];
  }
}

/** The held-back INSERTs of the unit `tx` runs in, when it is all or nothing; otherwise null (write at once). */
export function heldInserts(tx: RequestContext): HeldInserts | null {
  const session = tx.session;
  if (!session?.allOrNothingUnit) return null;
  return session.deferredWrites('inserts', () => new HeldInserts(tx.ds));
}
