import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { consoleAssets } from './console-assets';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Logger } from './logger';
import { AppError, asAppError, isDatabaseUnavailable, ServiceUnavailableError } from './core/errors';
import { formatError } from './graphql/errors';
import { createContext, type AuthDeps, type RequestContext } from './core/context';
import { Loaders } from './core/loaders';
import { EARLY_FIELDS, getSchema } from './graphql/schema';
import { earlyResultPlugin, stringifyResult } from './graphql/early-result';
import { tracingConfigured } from './observability/tracing';
import { REGISTRY } from './modules';
import { graphqlHandler } from './graphql/http-handler';
import { DbSession } from './db/session';
import { PROJECT_ROOT } from './paths';
import { AppCache } from './cache/app-cache';
import { loadCel } from './scoring-engine/cel';
import { loadJose } from './auth/tokens';
import { authService, SYSTEM_WORKSPACE } from './auth/auth.service';
import { SignInLimiter } from './auth/sign-in-limiter';
import { loadCookie, sessionCookiePlugin } from './auth/session-cookie';
import { operationGuardPlugin } from './auth/operation-guard';
import { clientAddressOf } from './http/client-address';
import { consoleHeaders, errorHandler, rejectMalformedPath, setGraphqlHeaders } from './http/security';
import { quotaPlugin, Quotas, type RequestQuota } from './auth/quotas';
import type { Principal } from './auth/principal';
import { historyKeys as keysOf } from './auth/secret';
import { historyStream } from './http/history-stream';
import { scoreStream } from './http/score-stream';
import { requestDeadline } from './http/request-deadline';
import { httpCachePlugin } from './http/caching';
import { corsPolicy } from './http/cors';
import { CheckpointScheduler } from './versioning/checkpoint-scheduler';
import { countedUnit, QueryTally } from './db/query-counter';
import { DirectorySink } from './versioning/checkpoint-sink';
import { DeliveryWorker } from './modules/webhook';
import { WebhookDeliveryStatus } from './modules/webhook/webhook.entity';
import { metrics, metricsEndpoint, type PoolStats } from './observability/metrics';
import {
  type GraphqlOutcome,
  operationStanding,
  outcomeCode,
  outcomeFields,
  outcomePlugin,
} from './observability/request-outcome';

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  cache: AppCache;
  /** Writes the scheduled checkpoints (CHECKPOINT_EVERY); absent when off. */
  checkpoints?: CheckpointScheduler;
  /** Sends webhook deliveries (the outbox); stopped with the server. */
  webhooks: DeliveryWorker;
  /**
   * With `config.countQueries`: the statements sent for this server's requests (each request a unit of work,
   * db/query-counter.ts), not those of background work (the webhook worker's polls, checkpoints, flushes).
   */
  requestQueries?: QueryTally;
  /** Stops taking requests, lets in-flight ones finish, then resolves. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w.-]{1,128}$/;
// Asked every few seconds by a health check or a scraper: not worth a log line each.
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

declare module 'http' {
  interface IncomingMessage {
    id: string;
    /** Set for /graphql requests: what their log line and metrics report. */
    graphql?: GraphqlOutcome;
  }
}

/**
 * A request id per request (the caller's x-request-id when sane), echoed in
 * the response; `logOf(req)` is a child logger carrying it, made on first use
 * (kept aside in a WeakMap: an accessor defined on each request object made
 * every later property read on it slow, about 15% of a warm fitScore);
 * one JSON line per completed request at info level, with the operation,
 * principal, workspace and error codes for /graphql, whose requests are also
 * counted and timed (observability/metrics.ts).
 */
function requestLogging(log: Logger): {
  middleware: express.RequestHandler;
  logOf: (req: http.IncomingMessage) => Logger;
} {
  const logRequests = log.isLevelEnabled('info');
  const children = new WeakMap<http.IncomingMessage, Logger>();
  const logOf = (req: http.IncomingMessage): Logger => {
    let child = children.get(req);
    if (!child) children.set(req, (child = log.child({ reqId: req.id })));
    return child;
  };
  const middleware: express.RequestHandler = (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    (req as http.IncomingMessage).id = id;
    const graphql = (req as http.IncomingMessage).graphql;
    const logThis = logRequests && !UNLOGGED.has(req.url);
    if (logThis || graphql) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (graphql)
          metrics.graphqlRequest(
            graphql.operation,
            operationStanding(graphql),
            outcomeCode(graphql, res.statusCode),
            ms / 1000,
            graphql.principal?.id,
          );
        if (logThis)
          logOf(req).info(
            {
              method: req.method,
              // The path only: a GET query's string carries its variables (account attributes).
              url: (req.originalUrl ?? req.url).split('?')[0],
              status: res.statusCode,
              ms,
              ...(graphql && outcomeFields(graphql)),
            },
            'request',
          );
      });
    }
    next();
  };
  return { middleware, logOf };
}

// 10,000 accounts with two dozen attributes each fit comfortably.
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Logs the original of every error that is masked for the client, with the request id. */
// One listener object for every request (nothing per request to allocate).
const errorLogListener: GraphQLRequestListener<RequestContext> = {
  async didEncounterErrors({ contextValue, errors }) {
    for (const e of errors) {
      const original = e.originalError;
      if (!original || original instanceof AppError || original instanceof GraphQLError) continue;
      if (isDatabaseUnavailable(original))
        contextValue.log.warn({ err: original.message, path: e.path }, 'database unavailable');
      else if (!asAppError(original)) contextValue.log.error({ err: original, path: e.path }, 'internal error');
    }
  },
};
const errorLogPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return errorLogListener;
  },
};

export async function createServer(
  config: Config,
  ds: DataSource,
  log: Logger,
  secret: Uint8Array,
): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  const { middleware: logging, logOf } = requestLogging(log);
  const landingPage = config.nodeEnv !== 'production';
  let graphql: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> = async () => undefined;
  // /graphql goes straight to Apollo (see graphql/http-handler.ts); everything else through Express.
  const cors = corsPolicy(config.corsOrigins);
  const requestQueries = config.countQueries ? new QueryTally() : undefined;
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // CORS before both routes below (a preflight is answered there).
    if (cors?.(req, res)) return;
    if (req.url === '/graphql' || req.url!.startsWith('/graphql?')) {
      req.graphql = {};
      setGraphqlHeaders(req, res, landingPage);
      logging(req as express.Request, res as express.Response, () => {
        graphql(req, res).catch((err) => {
          logOf(req).error({ err }, 'graphql handler failed');
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
      });
    } else app(req, res);
  };
  const httpServer = http.createServer(
    requestQueries ? (req, res) => countedUnit(new QueryTally(requestQueries), () => handle(req, res)) : handle,
  );
  // Node's whole-request deadline would cut a scoring stream of any length: this one, which a stream lifts, replaces it.
  requestDeadline(httpServer, config.requestTimeoutMs);

  app.use(logging);
  app.use(consoleHeaders());
  app.use(rejectMalformedPath);

  // Prometheus's scrape (who may: see metricsEndpoint).
  app.get('/metrics', metricsEndpoint({ token: config.metricsToken, production: config.nodeEnv === 'production' }));

  // The process is up.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The database answers.
  app.get('/readyz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ds.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000))),
      ]);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database does not answer' });
    } finally {
      clearTimeout(timer);
    }
  });

  const adminDist = path.join(PROJECT_ROOT, 'admin', 'dist');
  if (fs.existsSync(path.join(adminDist, 'index.html'))) {
    app.use('/admin', consoleAssets(adminDist));
  } else {
    app.get(/^\/admin(\/.*)?$/, (_req, res) => {
      res
        .type('html')
        .send(
          '<!doctype html><title>ICP console</title><h1>ICP console</h1><p>The console is not built yet. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>',
        );
    });
  }
  app.get('/', (_req, res) => res.redirect('/admin'));

  // The pool's use is read when /metrics is scraped.
  const unwatchPool = metrics.watchPool((ds.driver as unknown as { master: PoolStats }).master);
  const cache = new AppCache();
  await cache.start(ds, log);
  await Promise.all([loadCel(), loadJose(), loadCookie()]);
  const auth: AuthDeps = { ds, cache, secret, limiter: new SignInLimiter(ds) };
  const historyKeys = keysOf(config);
  const production = config.nodeEnv === 'production';
  const quotas = Quotas.create(config, ds, log);
  app.get('/v1/history', historyStream(auth, quotas ?? undefined));
  const webhookTargets = {
    httpsOnly: production,
    allowHosts: config.webhooks.allowHosts,
    resolve: config.webhooks.resolve,
  };
  // Each attempt counted by event and result: delivered, failed (a retry is due) or abandoned (none left).
  const webhooks = new DeliveryWorker(ds, secret, { ...config.webhooks, ...webhookTargets }, log, (r) =>
    metrics.webhookDeliveries
      .labels(
        r.event,
        r.status === WebhookDeliveryStatus.DELIVERED
          ? 'delivered'
          : r.status === WebhookDeliveryStatus.FAILED
            ? 'abandoned'
            : 'failed',
      )
      .inc(),
  );
  const { revisions, minutes } = config.checkpointEvery;
  const checkpoints =
    revisions || minutes
      ? new CheckpointScheduler(
          ds,
          historyKeys,
          new DirectorySink(config.checkpointDir),
          config.checkpointEvery,
          log,
          (checkpoint) => webhooks.checkpointWritten(checkpoint),
        )
      : undefined;
  if (checkpoints) log.info({ dir: config.checkpointDir, every: config.checkpointEvery }, 'history checkpoints');

  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    introspection: !production,
    // In production: no "did you mean …" hints that reveal the schema.
    hideSchemaDetailsFromClientErrors: production,
    formatError,
    // Apollo's own JSON, except that a field answered early is sent as the text its compiled writer made.
    stringifyResult,
    // The token limit is the parser's own: it stops reading at the limit.
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Apollo's two preflight headers, and Authorization: a cross-site form or <img> cannot send a bearer
    // credential (a browser's cached Basic credentials are not one: authentication refuses them), so a GET
    // with an API key needs no extra header (urql's and Apollo Client's defaults); a cookie-only GET still does.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      errorLogPlugin,
      outcomePlugin,
      operationGuardPlugin(config.limits),
      sessionCookiePlugin(),
      httpCachePlugin,
      ...(quotas ? [quotaPlugin] : []),
      // fitScore(s) with a plain selection: resolved and written without graphql-js's field-by-field execution;
      // not while tracing, where each operation keeps its execute span (the instrumentation wraps graphql-js's execute).
      // Answers fitScore(s) before execution: a plugin's executionDidStart / willResolveField hooks do not run for
      // those operations (none here uses them; one that must see every execution switches the early answer off).
      ...(tracingConfigured() ? [] : [earlyResultPlugin(EARLY_FIELDS)]),
      // No HTTP cache hints are used; the plugin would otherwise wrap every field resolution.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.nodeEnv === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  /** A request's context (GraphQL's, and the bulk scoring stream's): who, where, its transaction, its quota. */
  const requestContext = (
    req: http.IncomingMessage,
    principal: Principal | null,
    quota: RequestQuota | undefined,
  ): RequestContext => {
    // The request's one transaction, in its workspace; it takes a connection only when a query needs one.
    const workspaceId = principal?.workspaceId ?? SYSTEM_WORKSPACE;
    const session = new DbSession(ds, workspaceId);
    return createContext(
      {
        requestId: String(req.id),
        workspaceId,
        actor: principal ? { id: principal.id, label: principal.label } : { id: null, label: 'anonymous' },
        ds,
        registry: REGISTRY,
        historyKeys,
        checkpoints,
        cache,
        principal,
        auth,
        clientAddress: clientAddressOf(req, config.trustProxyHops),
        response: {},
        quota,
        scoreTimeBudgetMs: config.scoreTimeBudgetMs,
        webhookTargets,
        outcome: req.graphql,
        session,
        afterCommit: session.afterCommit,
        loaders: Loaders,
      },
      // Made when first read: the connection when a query needs one, the child logger when something logs.
      { manager: () => session.manager, log: () => logOf(req) },
    );
  };

  app.post('/v1/score/:icp', scoreStream(auth, quotas ?? undefined, requestContext, config.streamIdleTimeoutMs));

  graphql = graphqlHandler(
    apollo,
    async (req) => {
      const principal = await authService.authenticate(req, auth).catch((err: unknown) => {
        // Checking a key or session needs the database: without it, a clear 503 rather than a masked 500.
        if (isDatabaseUnavailable(err))
          throw new GraphQLError(new ServiceUnavailableError().message, {
            originalError: err as Error,
            extensions: { http: { status: 503 } },
          });
        throw err;
      });
      req.graphql!.principal = principal;
      // Before anything else is done for it; a refusal is a 429 (fail-open if PostgreSQL cannot count: see SharedCounter).
      const quota = quotas && principal ? await quotas.takeRequest(principal) : undefined;
      return requestContext(req, principal, quota);
    },
    MAX_BODY_BYTES,
    async (ctx, ok) => ctx.session!.end(ok),
  );

  app.use(errorHandler(log));
  webhooks.start();

  return {
    app,
    httpServer,
    cache,
    checkpoints,
    webhooks,
    requestQueries,
    async stop() {
      await apollo.stop();
      await webhooks.stop();
      await checkpoints?.stop();
      await quotas?.stop();
      await cache.stop();
      unwatchPool();
    },
  };
}
