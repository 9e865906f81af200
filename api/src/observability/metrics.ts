import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at GET /metrics
 * (metricsEndpoint below). One registry per process, made at load: every
 * server in the process (tests run several) counts into the same series.
 *
 * The request path only increments: children of labelled series are looked up
 * once per label set and kept (prom-client's `labels()` builds a label object
 * and a bound function on every call); everything else (pool use, process
 * figures) is read when Prometheus scrapes.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const graphqlRequests = new Counter({
  name: 'icp_graphql_requests_total',
  help: 'GraphQL requests by operation name and outcome: OK, or the code of the first error the client received.',
  labelNames: ['operation', 'code'] as const,
  registers: [registry],
});

const graphqlDuration = new Histogram({
  name: 'icp_graphql_request_duration_seconds',
  help: 'Time from the request arriving to the response being sent, by operation name.',
  labelNames: ['operation'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const cacheLookups = new Counter({
  name: 'icp_cache_lookups_total',
  help: 'Look-ups in the process caches (cache/app-cache.ts): compiled models, ICP heads, principals; hit or miss.',
  labelNames: ['cache', 'result'] as const,
  registers: [registry],
});

const accountsScored = new Counter({
  name: 'icp_accounts_scored_total',
  help: 'Accounts scored against published versions (fitScore counts 1, fitScores its list).',
  registers: [registry],
});

const webhookDeliveries = new Counter({
  name: 'icp_webhook_deliveries_total',
  help: 'Webhook delivery attempts by event and result (delivered, failed: will retry, abandoned: no retry left).',
  labelNames: ['event', 'result'] as const,
  registers: [registry],
});

// Pools are read when scraped; several servers in one process (tests) each add theirs.
const pools = new Set<PoolStats>();
/** What node-postgres's Pool says about itself. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}
const poolGauge = (name: string, help: string, read: (p: PoolStats) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      let n = 0;
      for (const p of pools) n += read(p);
      this.set(n);
    },
  });
poolGauge('icp_db_pool_connections', 'Open connections of the PostgreSQL pool (in use and idle).', (p) => p.totalCount);
poolGauge('icp_db_pool_idle_connections', 'Idle connections of the PostgreSQL pool.', (p) => p.idleCount);
poolGauge(
  'icp_db_pool_waiting_requests',
  'Requests waiting for a connection of the PostgreSQL pool (DB_POOL_SIZE reached).',
  (p) => p.waitingCount,
);

type CounterChild = { inc(value?: number): void };
type HistogramChild = { observe(value: number): void };

/** A cache's hit and miss children, made once. */
const lookups = (cache: string) => ({
  hit: cacheLookups.labels(cache, 'hit'),
  miss: cacheLookups.labels(cache, 'miss'),
});

/**
 * Operation names come from clients. A name gets a series of its own only
 * from an authenticated request whose operation resolved (parsed, validated,
 * found in the document): an anonymous caller, or one sending documents the
 * server refuses, cannot fill the slots and push real operations into
 * "other". Those requests count under fixed labels ("unauthenticated",
 * "unresolved"), or under the name if it already has a series. Past this
 * many distinct names, or past a principal's own share of them, new ones
 * are counted as "other".
 */
const MAX_OPERATIONS = 200;
/** And each principal (a user, an API key) may name at most this many of them: one key cannot take every slot. */
const MAX_NAMES_PER_PRINCIPAL = 50;
const namesBy = new Map<string, number>();
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
interface OperationSeries {
  name: string;
  duration: HistogramChild;
  codes: Map<string, CounterChild>;
}
const operations = new Map<string, OperationSeries>();
const newSeries = (name: string): OperationSeries => ({
  name,
  duration: graphqlDuration.labels(name),
  codes: new Map(),
});
const fixed = {
  /** No operation name. */
  anonymous: newSeries('anonymous'),
  /** A new name from a request without credentials (or refused before authentication finished). */
  unauthenticated: newSeries('unauthenticated'),
  /** A new name from an authenticated request whose operation did not resolve. */
  unresolved: newSeries('unresolved'),
  /** A new name past MAX_OPERATIONS, or not a GraphQL name. */
  other: newSeries('other'),
};

/** Who sent a request, as far as naming its series goes. */
export type OperationStanding = 'trusted' | 'unauthenticated' | 'unresolved';

function seriesOf(operation: string | undefined, standing: OperationStanding, principal?: string): OperationSeries {
  if (operation === undefined) return fixed.anonymous;
  let s = operations.get(operation);
  if (!s) {
    if (standing !== 'trusted') return fixed[standing];
    if (operations.size >= MAX_OPERATIONS || !OPERATION_NAME.test(operation)) return fixed.other;
    const named = principal === undefined ? 0 : (namesBy.get(principal) ?? 0);
    if (named >= MAX_NAMES_PER_PRINCIPAL) return fixed.other;
    if (principal !== undefined) namesBy.set(principal, named + 1);
    operations.set(operation, (s = newSeries(operation)));
  }
  return s;
}

export const metrics = {
  /**
   * One GraphQL request: its operation name (undefined when none), whether it may add a label (see seriesOf), OK
   * or its first error code, its duration.
   */
  graphqlRequest(
    operation: string | undefined,
    standing: OperationStanding,
    code: string,
    seconds: number,
    principal?: string,
  ): void {
    const s = seriesOf(operation, standing, principal);
    let counter = s.codes.get(code);
    if (!counter) s.codes.set(code, (counter = graphqlRequests.labels(s.name, code)));
    counter.inc();
    s.duration.observe(seconds);
  },
  cache: { model: lookups('model'), head: lookups('head'), principal: lookups('principal') },
  accountsScored: accountsScored as CounterChild,
  /** For the webhook dispatcher: `metrics.webhookDeliveries.labels(event, 'delivered').inc()`. */
  webhookDeliveries,
  /** Reports a pool's use until `unwatch` is called. */
  watchPool(pool: PoolStats): () => void {
    pools.add(pool);
    return () => pools.delete(pool);
  },
};

/** Who may read /metrics: anyone (development), holders of METRICS_TOKEN, or nobody (production without a token). */
export interface MetricsAccess {
  token?: string;
  production: boolean;
}

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set it needs
 * `Authorization: Bearer <token>`; without one it is open, except in
 * production, where it answers 404 (metrics reveal operation names and load).
 */
export function metricsEndpoint(access: MetricsAccess) {
  const expected = access.token ? Buffer.from(`Bearer ${access.token}`) : undefined;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const refuse = (status: number, message: string) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.end(JSON.stringify({ error: message }));
    };
    if (!expected && access.production)
      return refuse(404, 'metrics are not served in production without METRICS_TOKEN');
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return refuse(401, 'metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    const text = await registry.metrics();
    res.statusCode = 200;
    res.setHeader('content-type', registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.end(text);
  };
}
