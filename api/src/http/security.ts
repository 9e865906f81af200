import http from 'node:http';
import type express from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger';

/**
 * Browser hardening for every response: a Content-Security-Policy, no
 * framing (frame-ancestors 'none' and X-Frame-Options DENY), nosniff and no
 * Referer. Express routes (the console, health) get them from helmet; /graphql
 * bypasses Express (the hot path), so it gets the same headers precomputed.
 */

// The console: its own scripts only; MUI/emotion inject <style> elements at run time, hence 'unsafe-inline' for styles alone.
const CONSOLE_CSP = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export const consoleHeaders = (): express.RequestHandler =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS belongs to the TLS terminator in front: this process speaks plain HTTP.
    strictTransportSecurity: false,
  });

const SHARED: [string, string][] = [
  // Nothing is cached unless http/caching.ts says the answer cannot change (a numbered published version).
  ['cache-control', 'no-store'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
];
// JSON is never rendered: nothing may load from it.
const API: [string, string][] = [...SHARED, ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"]];
// Apollo's sandbox page sets its own script/style CSP with a nonce in a <meta>; a header script-src would block it.
const LANDING: [string, string][] = [
  ...SHARED,
  ['content-security-policy', "frame-ancestors 'none'; object-src 'none'; base-uri 'none'"],
];

/** Sets /graphql's headers (no allocation per request). `landingPage`: GET for HTML outside production, where Apollo serves its sandbox. */
export function setGraphqlHeaders(req: http.IncomingMessage, res: http.ServerResponse, landingPage: boolean): void {
  const headers = landingPage && req.method === 'GET' && req.headers.accept?.includes('text/html') ? LANDING : API;
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i][0], headers[i][1]);
}

/** A path with a malformed %-escape is the client's error: 400 before any route tries to decode it. */
export const rejectMalformedPath: express.RequestHandler = (req, res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(400).type('text/plain').send('Bad request: the path has a malformed %-escape');
    return;
  }
  next();
};

/** The last handler: a client error keeps its status, anything else is a bare 500; never a stack trace, in any mode. */
export function errorHandler(log: Logger): express.ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const status = Number(
      (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode,
    );
    const client = status >= 400 && status < 500;
    if (!client) log.error({ err, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(client ? status : 500)
      .type('text/plain')
      .send(
        client
          ? err instanceof URIError
            ? 'Bad request: the path has a malformed %-escape'
            : (http.STATUS_CODES[status] ?? 'Bad request')
          : 'Internal server error',
      );
  };
}
