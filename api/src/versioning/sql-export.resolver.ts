import { Arg, Ctx, Field, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { sqlExportService } from './sql-export.service';

/** The SQL dialects an ICP version exports to (values: the dialect's name in upper case). */
export enum SqlDialect {
  POSTGRES = 'postgres',
  DUCKDB = 'duckdb',
  BIGQUERY = 'bigquery',
  SNOWFLAKE = 'snowflake',
  SPARK = 'spark',
}
registerEnumType(SqlDialect, {
  name: 'SqlDialect',
  description:
    'A SQL dialect the scoring model exports to. PostgreSQL and DuckDB are executed against the engine in the tests; the others are parsed and compared with golden files (README, "Scoring in the warehouse").',
  valuesConfig: {
    POSTGRES: { description: 'PostgreSQL 12 or later (lists as text[]).' },
    DUCKDB: { description: 'DuckDB 1.x (lists as VARCHAR[]).' },
    BIGQUERY: { description: 'Google BigQuery standard SQL (lists as ARRAY<STRING>).' },
    SNOWFLAKE: { description: 'Snowflake (lists as ARRAY).' },
    SPARK: { description: 'Spark SQL 3.x / Databricks (lists as ARRAY<STRING>).' },
  },
});

@ObjectType({ description: "A published version's scoring model as one SQL view over an accounts table." })
export class IcpSqlExport {
  @Field({ description: 'The slug of the ICP.' }) icpSlug: string;
  @Field(() => Int, { description: 'The published version it computes.' }) version: number;
  @Field({ description: "SHA-256 of the version's snapshot, also in the SQL's header comment." }) snapshotHash: string;
  @Field(() => SqlDialect, { description: 'The dialect it is written in.' }) dialect: SqlDialect;
  @Field({ description: 'A file name for it: <slug>-v<version>.<dialect>.sql.' }) filename: string;
  @Field({
    description:
      'The SQL: a header comment (ICP, version, snapshot hash, generated at, the columns it reads), then CREATE OR REPLACE VIEW.',
  })
  sql: string;
}

@Resolver()
export class SqlExportResolver {
  @Query(() => IcpSqlExport, {
    description:
      'A published version (default: the latest) as a SQL view computing per account its tier and nearest tier, disqualification and first reason, score and dimension scores, band and action, and whether it is undetermined, as the engine does. An expression SQL cannot compute faithfully is refused, naming it and where.',
  })
  exportIcpSql(
    @Ctx() ctx: RequestContext,
    @Arg('icp', { description: "The ICP's id or slug." }) icp: string,
    @Arg('dialect', () => SqlDialect, { description: 'The SQL dialect to write.' }) dialect: SqlDialect,
    @Arg('version', () => Int, { nullable: true, description: 'The version number; default: the latest published.' })
    version?: number,
    @Arg('table', () => String, {
      nullable: true,
      description: 'The accounts table it reads (letters, digits, _; schema.table allowed); default: accounts.',
    })
    table?: string,
    @Arg('view', () => String, {
      nullable: true,
      description: 'The view it creates (as table); default: <slug>_v<version>_scores.',
    })
    view?: string,
    @Arg('key', () => String, {
      nullable: true,
      description: "The accounts table's key column, carried into each row; default: id.",
    })
    key?: string,
  ): Promise<IcpSqlExport> {
    return sqlExportService.export(ctx, icp, version, { dialect, table, view, key }) as Promise<IcpSqlExport>;
  }
}
