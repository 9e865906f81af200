import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../logger';

/**
 * TypeORM logger that counts every statement sent to PostgreSQL (tests and
 * benchmarks read `count` to prove "no query inside a loop") and sends query
 * errors to the application log at debug level; the client never sees SQL.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  constructor(private readonly app?: Logger) {}
  logQuery(): void {
    this.count++;
  }
  logQueryError(error: string | Error, query: string): void {
    this.app?.debug({ err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.app?.warn({ ms: time, query }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.app?.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.app?.warn({ message }, 'typeorm');
  }
}
