import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../logger';

/**
 * The statements of one unit of work (a request), and of the tallies it adds
 * to (`parent`: all of a server's requests).
 */
export class QueryTally {
  queries = 0;
  constructor(readonly parent?: QueryTally) {}
}

// The unit of work a statement is sent for: the async context it is sent from. Nothing is stored, and no async hook
// is installed, until `countedUnit` first runs: a server that does not count requests (production) pays nothing.
const units = new AsyncLocalStorage<QueryTally>();

/** Runs `fn` as a unit of work: each statement sent from its async context (awaits included) counts in `tally`. */
export function countedUnit<T>(tally: QueryTally, fn: () => T): T {
  return units.run(tally, fn);
}

/**
 * Runs `fn`, and whatever it starts, outside the unit of work that called it: background work a request sets off
 * (waking the webhook worker, writing a checkpoint after its commit) is not that request's.
 */
export function detached<T>(fn: () => T): T {
  return units.exit(fn);
}

/**
 * TypeORM logger that counts every statement sent to PostgreSQL (`count`,
 * the process's, background work included) and, for a unit of work
 * (`countedUnit`), the statements sent for it: tests and benchmarks read
 * them to prove "no query inside a loop". It sends query errors to the
 * application log at debug level; the client never sees SQL.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  constructor(private readonly app?: Logger) {}
  logQuery(): void {
    this.count++;
    for (let unit = units.getStore(); unit; unit = unit.parent) unit.queries++;
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
