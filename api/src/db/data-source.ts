import path from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../modules';
import { QueryCounter } from './query-counter';
import { SnakeNamingStrategy } from './naming';
import type { Logger } from '../logger';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  log?: Logger;
  /** How long to wait for a pooled connection (or a new one to open) before failing: never hang on a database that is down. */
  poolWaitMs?: number;
  /** PostgreSQL statement_timeout in ms; 0 or unset = none. */
  statementTimeoutMs?: number;
}

// Resolves to <root>/migrations under ts-jest and to dist/migrations when compiled.
const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

export function createDataSource({
  url,
  poolSize,
  log,
  poolWaitMs = 5000,
  statementTimeoutMs = 0,
}: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [path.join(MIGRATIONS_DIR, '*.{ts,js}').replace(/\\/g, '/')],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    logger: new QueryCounter(log) as never,
    maxQueryExecutionTime: 1000,
    extra: {
      max: poolSize,
      // A request waits a bounded time for a connection instead of hanging (SERVICE_UNAVAILABLE after that).
      connectionTimeoutMillis: poolWaitMs,
      ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
      // Notices a peer that vanished without closing the connection (a network partition).
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      application_name: 'icp-api',
    },
  });
}

export function queryCount(ds: DataSource): number {
  return (ds.logger as unknown as QueryCounter).count;
}
