import { type RequestContext } from '../core/context';
import { ValidationError } from '../core/errors';
import { icpService } from '../modules/icp/icp.service';
import { type AttributeSpec, checkerFor } from '../scoring-engine/cel';
import { type DialectName } from '../sql-export/dialects';
import { exportSql, SqlExportError, SqlOptionError } from '../sql-export/export-sql';
import { icpVersionService } from './icp-version.service';

export interface SqlExportRequest {
  dialect: DialectName;
  table?: string | null;
  view?: string | null;
  key?: string | null;
}

export interface IcpSqlExportResult {
  icpSlug: string;
  version: number;
  snapshotHash: string;
  dialect: DialectName;
  filename: string;
  sql: string;
}

/**
 * A published version's scoring model as SQL (sql-export/): the version's own snapshot and hash, so the text
 * traces back to exactly what was published. An expression SQL cannot compute faithfully is a validation
 * problem naming the part and the characters.
 */
export const sqlExportService = {
  async export(
    ctx: RequestContext,
    idOrSlug: string,
    version: number | null | undefined,
    req: SqlExportRequest,
  ): Promise<IcpSqlExportResult> {
    const icp = await icpService.byIdOrSlug(ctx, idOrSlug);
    const v = await icpVersionService.get(ctx, icp.id, version);
    const snapshot = JSON.parse(v.snapshot) as Record<string, unknown>;
    const checker = await checkerFor((snapshot.attributes as AttributeSpec[]) ?? []);
    try {
      const sql = exportSql({ icpId: icp.id, icpSlug: icp.slug, version: v.version, snapshot }, checker, {
        dialect: req.dialect,
        table: req.table ?? undefined,
        view: req.view ?? undefined,
        key: req.key ?? undefined,
        snapshotHash: v.snapshotHash,
      });
      return {
        icpSlug: icp.slug,
        version: v.version,
        snapshotHash: v.snapshotHash,
        dialect: req.dialect,
        filename: `${icp.slug}-v${v.version}.${req.dialect}.sql`,
        sql,
      };
    } catch (e) {
      if (e instanceof SqlOptionError) throw ValidationError.one(e.option, e.message.slice(e.option.length + 2));
      if (e instanceof SqlExportError)
        throw new ValidationError(
          e.problems.map((p) => ({
            path: p.part,
            message: `cannot be exported to SQL: ${p.message} (at "${p.expression.slice(p.start, p.end)}")`,
            expression: p.expression,
            start: p.start,
            end: p.end,
          })),
        );
      throw e;
    }
  },
};
