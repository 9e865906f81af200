import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type express from 'express';
import { GraphQLError } from 'graphql';
import type { AuthDeps, RequestContext } from '../core/context';
import { AppError, isDatabaseUnavailable, TooManyRequestsError } from '../core/errors';
import { authService } from '../auth/auth.service';
import { denial } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { type Quotas, rateLimitHeaders, type RequestQuota, takeAccounts } from '../auth/quotas';
import { fitScoreService } from '../fit-score/fit-score.service';
import { BatchScorer, RecordBatcher, StreamStop, type StreamFormat } from '../fit-score/score-stream';
import { metrics } from '../observability/metrics';
import { liftDeadline } from './request-deadline';

/** The media types read and written: NDJSON (also as application/jsonl) and CSV. */
const FORMATS: Record<string, StreamFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/csv': 'csv',
};
const MEDIA: Record<StreamFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' };

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

let running = 0;
/** Scoring streams running in this process now: until their scorer closes (a test sees a disconnected one stop). */
export const runningScoreStreams = (): number => running;

type ContextOf = (req: http.IncomingMessage, principal: Principal, quota: RequestQuota | undefined) => RequestContext;

/**
 * POST /v1/score/{icp}[?version=N]: bulk scoring as a stream (see
 * fit-score/score-stream.ts). Authenticated, authorized (whoever may use
 * fitScores), counted against the same quotas as GraphQL (a request, then
 * each batch's accounts before it is scored) and counted in
 * icp_accounts_scored_total; one log line per stream with who, what and how
 * many. The compiled model is loaded in the request's transaction, which
 * ends before the stream starts: a stream holds no database connection.
 * Once authenticated, a stream has no deadline for its upload (a body of any
 * length), only an idle timeout (http/request-deadline.ts).
 */
export function scoreStream(
  auth: AuthDeps,
  quotas: Quotas | undefined,
  contextOf: ContextOf,
  idleTimeoutMs: number,
): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const input = FORMATS[mediaType(req.headers['content-type'])];
      if (!input) {
        return refuse(
          res,
          415,
          `Content-Type must be application/x-ndjson or text/csv, got ${JSON.stringify(req.headers['content-type'] ?? '')}`,
          'UNSUPPORTED_MEDIA_TYPE',
        );
      }
      const output = outputFormat(req.headers.accept, input);
      if (!output) return refuse(res, 406, 'Accept must allow application/x-ndjson or text/csv', 'NOT_ACCEPTABLE');
      const rawVersion = req.query.version;
      if (rawVersion !== undefined && (typeof rawVersion !== 'string' || !/^[1-9]\d{0,8}$/.test(rawVersion)))
        return refuse(res, 400, `version must be a published version number, got ${JSON.stringify(rawVersion)}`);
      const principal = await authService.authenticate(req, auth);
      const no = denial('fitScores', principal?.role ?? null);
      if (no || !principal) return refuse(res, no?.status ?? 401, no?.message ?? 'Sign in first', no?.code);
      const quota = await quotas?.takeRequest(principal);
      const ctx = contextOf(req, principal, quota);
      let model;
      try {
        model = await fitScoreService.model(ctx, String(req.params.icp), rawVersion ? Number(rawVersion) : null);
      } finally {
        await ctx.session?.end(true);
      }
      // Authenticated, authorized and about to score: the body may take as long as it needs, while it moves.
      liftDeadline(req, res, idleTimeoutMs);
      await run(req, res, ctx, model, input, output);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof AppError)
        return refuse(res, STATUS[e.code] ?? 400, e.message, e.code, e instanceof TooManyRequestsError ? e : undefined);
      if (e instanceof GraphQLError) {
        const status = (e.extensions.http as { status?: number } | undefined)?.status ?? 401;
        return refuse(res, status, e.message, String(e.extensions.code));
      }
      if (isDatabaseUnavailable(e)) return refuse(res, 503, 'The database is unavailable right now; retry shortly.');
      next(e);
    }
  };
}

async function run(
  req: express.Request,
  res: express.Response,
  ctx: RequestContext,
  model: Awaited<ReturnType<typeof fitScoreService.model>>,
  input: StreamFormat,
  output: StreamFormat,
): Promise<void> {
  const setRateLimitHeaders = () => {
    const reading = ctx.quota?.reading;
    if (!res.headersSent && reading) for (const [name, value] of rateLimitHeaders(reading)) res.setHeader(name, value);
  };
  const scorer = new BatchScorer(model, input, output, {
    async takeAccounts(count) {
      try {
        await takeAccounts(ctx, count);
      } catch (e) {
        if (!(e instanceof TooManyRequestsError)) throw e;
        // Before any result: a 429 as GraphQL's; once results are on their way: the stream's last line.
        const refusal = !res.headersSent;
        if (refusal) res.status(429).type('application/json');
        setRateLimitHeaders();
        throw new StreamStop(e.message, e.code, undefined, refusal);
      }
      setRateLimitHeaders();
    },
    scored: (count) => metrics.accountsScored.inc(count),
  });
  res.status(200);
  res.setHeader('content-type', MEDIA[output]);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-icp-version', String(model.version));
  const batcher = new RecordBatcher(input);
  // After a stop the rest of the input is read and dropped unparsed (the response has ended; the client may hang up).
  scorer.once('stopped', () => batcher.halt());
  running++;
  // Counted until the scorer closes, not until this handler returns: a stage left open after a hang-up still runs.
  scorer.once('close', () => running--);
  const started = performance.now();
  let outcome = 'completed';
  try {
    // A client that hangs up destroys the response, and the pipeline every stage before it: nothing goes on.
    await pipeline(req, batcher, scorer, res);
    if (scorer.hasStopped) outcome = 'stopped';
  } catch (e) {
    if (!res.destroyed || res.writableFinished) throw e;
    outcome = 'disconnected';
  } finally {
    const { rows, scored, errors } = scorer.summary;
    const ms = Math.round(performance.now() - started);
    ctx.log.info(
      { icp: model.icpSlug, version: model.version, actor: ctx.actor, rows, scored, errors, outcome, ms },
      'score stream',
    );
  }
}

function refuse(
  res: express.Response,
  status: number,
  error: string,
  code = 'BAD_REQUEST',
  quota?: TooManyRequestsError,
): void {
  if (quota) res.setHeader('retry-after', String(quota.retryAfterSeconds));
  res.status(status).json({ error, code });
}

/** The media type without its parameters, lower case. */
const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

/** The output format the Accept header allows, preferring the input's; undefined when it allows neither. */
function outputFormat(accept: string | undefined, input: StreamFormat): StreamFormat | undefined {
  if (!accept) return input;
  const types = accept.split(',').map(mediaType);
  if (types.includes('*/*') || (input === 'csv' && types.includes('text/*'))) return input;
  const ndjson = types.some((t) => FORMATS[t] === 'ndjson');
  const csv = types.includes('text/csv') || types.includes('text/*');
  if (ndjson && csv) return input;
  return ndjson ? 'ndjson' : csv ? 'csv' : undefined;
}
