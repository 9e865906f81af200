import { GraphQLError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { TooManyRequestsError } from '../core/errors';
import type { Principal } from './principal';
import { type CounterDecision, SharedCounter } from './shared-counter';

/**
 * Quotas per principal (API key or user), shared by every API process
 * through PostgreSQL (table rate_limit, migration 1795443000000):
 * `requests` counts every GraphQL request, `accounts` every account scored
 * (fitScore 1, fitScores and simulateIcp their list length), taken before
 * scoring. Anonymous requests (sign-in) are the login limiter's business.
 * How a process counts without a round trip per request, and how far N
 * processes may overshoot: see SharedCounter.
 */
export type QuotaName = 'requests' | 'accounts';

export interface QuotaReading extends CounterDecision {
  quota: QuotaName;
}

/** The quota state of one request: whose, and what its responses should say (one object, shared by derived contexts). */
export interface RequestQuota {
  quotas: Quotas;
  principal: Principal;
  /** The reading the RateLimit-* headers report: the refusal, else the quota nearest exhaustion. */
  reading?: QuotaReading;
}

const TABLE = 'rate_limit';
// rate-limiter-flexible's own clean-up period (it deletes rows expired an hour ago).
const CLEAN_EVERY_MS = 5 * 60_000;
const LOG_STORE_ERRORS_EVERY_MS = 10_000;

export class Quotas {
  private readonly counters: Partial<Record<QuotaName, SharedCounter>> = {};
  private readonly stores: RateLimiterPostgres[] = [];
  private timer?: NodeJS.Timeout;
  private lastClean = Date.now();
  private lastErrorLog = 0;

  /** Null when every quota is off (0): nothing is counted and no header is sent. */
  static create(config: Config, ds: DataSource, log: Logger): Quotas | null {
    if (!config.quotaRequestsPerMinute && !config.quotaAccountsPerMinute) return null;
    return new Quotas(config, ds, log);
  }

  private constructor(
    private readonly config: Config,
    ds: DataSource,
    private readonly log: Logger,
  ) {
    const limits: Record<QuotaName, number> = {
      requests: config.quotaRequestsPerMinute,
      accounts: config.quotaAccountsPerMinute,
    };
    for (const quota of ['requests', 'accounts'] as const) {
      if (!limits[quota]) continue;
      const store = new RateLimiterPostgres({
        storeClient: ds,
        storeType: 'typeorm',
        tableName: TABLE,
        // The migration made it: icp_app may not create tables.
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: quota,
        points: limits[quota],
        duration: config.quotaWindowSeconds,
      });
      this.stores.push(store);
      this.counters[quota] = new SharedCounter({
        limit: limits[quota],
        windowMs: config.quotaWindowSeconds * 1000,
        store,
        onStoreError: (err) => this.storeFailed(err),
      });
    }
    this.timer = setInterval(() => void this.tick(), config.quotaFlushMs);
    this.timer.unref();
  }

  /** The request quota: taken as the request starts; a refusal is an HTTP 429 before any resolver runs. */
  async takeRequest(principal: Principal): Promise<RequestQuota> {
    const quota: RequestQuota = { quotas: this, principal };
    const counter = this.counters.requests;
    if (!counter) return quota;
    quota.reading = { quota: 'requests', ...(await counter.take(keyOf(principal), 1)) };
    if (!quota.reading.allowed) {
      const error = this.refusal(quota, quota.reading);
      throw new GraphQLError(error.message, {
        originalError: error,
        extensions: {
          code: error.code,
          ...error.extensions(),
          http: { status: 429, headers: new HeaderMap(rateLimitHeaders(quota.reading)) },
        },
      });
    }
    return quota;
  }

  /** The accounts quota, before scoring `count` accounts; refused: TooManyRequestsError (HTTP 429). */
  async takeAccounts(quota: RequestQuota, count: number): Promise<void> {
    const counter = this.counters.accounts;
    if (!counter || count <= 0) return;
    const reading: QuotaReading = { quota: 'accounts', ...(await counter.take(keyOf(quota.principal), count)) };
    const current = quota.reading;
    if (
      !reading.allowed ||
      !current ||
      (current.allowed && reading.remaining / reading.limit < current.remaining / current.limit)
    )
      quota.reading = reading;
    if (!reading.allowed) throw this.refusal(quota, reading);
  }

  /** Writes what is left and stops the timer (the process is stopping). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(Object.values(this.counters).map((c) => c.flushAll()));
  }

  private refusal(quota: RequestQuota, reading: QuotaReading): TooManyRequestsError {
    return new TooManyRequestsError(
      reading.quota,
      reading.limit,
      this.config.quotaWindowSeconds,
      resetSeconds(reading),
      quota.principal.label,
    );
  }

  private async tick(): Promise<void> {
    await Promise.all(Object.values(this.counters).map((c) => c.flushAll()));
    if (Date.now() - this.lastClean > CLEAN_EVERY_MS && this.stores[0]) {
      this.lastClean = Date.now();
      // Public in its source, missing from its typings; it never rejects.
      await (this.stores[0] as unknown as { clearExpired(before: number): Promise<void> }).clearExpired(
        Date.now() - 3_600_000,
      );
    }
  }

  private storeFailed(err: unknown): void {
    // Every flush fails while PostgreSQL is away: one line per period is enough.
    if (Date.now() - this.lastErrorLog < LOG_STORE_ERRORS_EVERY_MS) return;
    this.lastErrorLog = Date.now();
    this.log.warn(
      { err: (err as Error)?.message ?? String(err) },
      'quota store unavailable; each process counts on its own until it is back',
    );
  }
}

const keyOf = (p: Principal) => `${p.kind}:${p.id}`;

/** Seconds until the window resets, at least 1 (a client that waits 0 s would be refused again). */
const resetSeconds = (d: CounterDecision) => Math.max(1, Math.ceil(d.resetMs / 1000));

/**
 * draft-ietf-httpapi-ratelimit-headers-07's separate fields: the limit, what
 * is left, and the seconds until the window resets; a refusal adds Retry-After.
 */
export function rateLimitHeaders(d: CounterDecision): [string, string][] {
  const reset = String(resetSeconds(d));
  const headers: [string, string][] = [
    ['ratelimit-limit', String(d.limit)],
    ['ratelimit-remaining', String(d.remaining)],
    ['ratelimit-reset', reset],
  ];
  if (!d.allowed) headers.push(['retry-after', reset]);
  return headers;
}

/** What the quota code reads of a request context (core/context.ts, which imports RequestQuota from here). */
type QuotaContext = { quota?: RequestQuota };

/** Takes `count` scored accounts from the request's principal, if quotas are on. */
export async function takeAccounts(ctx: QuotaContext, count: number): Promise<void> {
  if (ctx.quota) await ctx.quota.quotas.takeAccounts(ctx.quota, count);
}

// One listener for every request: the RateLimit-* headers, and 429 when the accounts quota refused.
const quotaListener: GraphQLRequestListener<QuotaContext> = {
  async willSendResponse({ contextValue, response }) {
    const reading = contextValue.quota?.reading;
    if (!reading) return;
    for (const [name, value] of rateLimitHeaders(reading)) response.http.headers.set(name, value);
    if (!reading.allowed) response.http.status = 429;
  },
};

export const quotaPlugin: ApolloServerPlugin<QuotaContext> = {
  async requestDidStart() {
    return quotaListener;
  },
};
