import type http from 'node:http';

/**
 * CORS for the API paths (/graphql and /v1/*), applied in front of both
 * Express and the direct /graphql handler (server.ts), so one policy answers
 * for both. Only the exact origins in CORS_ORIGINS are allowed; with none
 * configured nothing is sent (a browser then refuses every cross-origin
 * call). Credentials are not allowed: the console's session cookie is
 * SameSite=Strict and for the console's own origin only; a browser app on
 * another origin authenticates with `Authorization: Bearer` (an API key or a
 * session token), which the preflight lets through.
 */

export const CORS_METHODS = 'GET, POST, OPTIONS';
/** What a client may send: credentials and JSON, Apollo's CSRF preflight headers, the workspace and request id, revalidation. */
export const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-workspace',
  'x-request-id',
  'if-none-match',
  // W3C trace context, sent by browser apps instrumented with OpenTelemetry.
  'traceparent',
  'tracestate',
].join(', ');
/** What a browser script may read beyond the CORS-safelisted response headers. */
const EXPOSED = ['etag', 'x-request-id', 'retry-after'].join(', ');
/** How long a browser may reuse a preflight (Chromium caps it at 2 hours). */
const MAX_AGE_SECONDS = '600';

const API_PATH = /^\/(graphql|v1\/)/;

/**
 * The CORS step for one request, or undefined when no origin is allowed.
 * Returns true when it answered the request itself (a preflight).
 */
export function corsPolicy(origins: readonly string[]) {
  if (!origins.length) return undefined;
  const allowed = new Set(origins);
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (!API_PATH.test(req.url!)) return false;
    // The answer depends on Origin, for whoever caches it.
    res.appendHeader('vary', 'Origin');
    const origin = req.headers.origin;
    const ok = origin !== undefined && allowed.has(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!ok) {
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${origin ?? 'A request without Origin'} is not an allowed origin (CORS_ORIGINS)`);
        return true;
      }
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': CORS_METHODS,
        'access-control-allow-headers': CORS_REQUEST_HEADERS,
        'access-control-max-age': MAX_AGE_SECONDS,
      });
      res.end();
      return true;
    }
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED);
    }
    return false;
  };
}
