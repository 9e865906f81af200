import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';

/**
 * OpenTelemetry traces, only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): spans
 * of the HTTP server (continuing an incoming `traceparent`), of each GraphQL
 * operation (parse, validate, execute; no span per resolved field) and of
 * each PostgreSQL query made for a request, exported over OTLP/HTTP (JSON).
 * Every other OTEL_* variable the SDK reads applies (OTEL_SERVICE_NAME,
 * OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, OTEL_EXPORTER_OTLP_HEADERS…).
 *
 * Without an endpoint nothing of OpenTelemetry is loaded. The SDK patches
 * `http`, `graphql` and `pg` as they are required, so it must start before
 * any of them is: main.ts imports ./preload first (see there).
 */
export interface Tracing {
  /** Sends the spans still buffered; called when the process stops. */
  shutdown(): Promise<void>;
}

// Not on the hot path of a request: these are what a health check or a scrape asks for every few seconds.
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

// Every attribute of an incoming HTTP span that carries the query string (stable and older conventions).
const NO_QUERY_STRING = {
  'url.query': undefined,
  'url.full': undefined,
  'http.target': undefined,
  'http.url': undefined,
};

/** Whether traces are on: an OTLP endpoint is configured and the SDK is not disabled. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return false;
  return !['true', '1'].includes((env.OTEL_SDK_DISABLED ?? '').toLowerCase());
}

export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingConfigured(env)) return undefined;
  // The CommonJS builds, loaded synchronously: an import() would let `http` and `pg` load first.
  const load = createRequire(__filename);
  const { NodeSDK } = load('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = load(
    '@opentelemetry/exporter-trace-otlp-http',
  ) as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = load(
    '@opentelemetry/instrumentation-http',
  ) as typeof import('@opentelemetry/instrumentation-http');
  const { GraphQLInstrumentation } = load(
    '@opentelemetry/instrumentation-graphql',
  ) as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = load(
    '@opentelemetry/instrumentation-pg',
  ) as typeof import('@opentelemetry/instrumentation-pg');

  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || 'icp-api',
    traceExporter: new OTLPTraceExporter(),
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED.has(req.url ?? ''),
        // The path only: a GET /graphql query string carries the document and its variables (account data). The
        // span is named by the method, and what this hook returns overrides the attributes it is started with (an
        // undefined value is dropped), so no attribute keeps the query string, whichever conventions are emitted.
        startIncomingSpanHook: () => NO_QUERY_STRING,
        // Webhook deliveries go to other parties: no span with their URL (a path can be a credential), and no
        // traceparent sent to them.
        ignoreOutgoingRequestHook: () => true,
      }),
      // One span per operation and phase; a span per field would cost more than scoring (fitScores of 10,000).
      new GraphQLInstrumentation({ ignoreResolveSpans: true }),
      // Queries made for a request; the background ones (NOTIFY listener, quota flushes) would be root spans.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
