import { isAscii } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { isDatabaseUnavailable } from '../core/errors';
import { sendWithValidator } from '../http/caching';

/**
 * POST/GET /graphql straight from Node's HTTP server to Apollo, without
 * Express's router and body parser in between: the scoring endpoint is the
 * hot path (what @apollo/server/standalone does, plus a body-size limit).
 */
export function graphqlHandler<C extends object>(
  apollo: ApolloServer<C>,
  context: (req: IncomingMessage) => Promise<C>,
  maxBodyBytes: number,
  /** Called with the context once the result is known, before it is sent (commits the request's transaction). */
  finish: (ctx: C, ok: boolean) => Promise<void>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: unknown;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      const code = (e as { code?: string }).code ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST');
      res.end(JSON.stringify({ errors: [{ message: (e as Error).message, extensions: { code } }] }));
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const q = req.url!.indexOf('?');
    let ctx: C | undefined;
    let finished = false;
    let result: Awaited<ReturnType<typeof apollo.executeHTTPGraphQLRequest>>;
    try {
      result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method!.toUpperCase(),
          headers,
          search: q >= 0 ? req.url!.slice(q) : '',
          body,
        },
        context: async () => (ctx = await context(req)),
      });
      finished = true;
      if (ctx) await finish(ctx, true);
    } catch (e) {
      if (ctx && !finished) await finish(ctx, false).catch(() => undefined);
      res.setHeader('content-type', 'application/json');
      if (isDatabaseUnavailable(e)) {
        // The connection was lost at commit: the outcome is unknown to us, so the result is not sent as a success.
        res.statusCode = 503;
        res.end(
          JSON.stringify({
            errors: [
              {
                message:
                  'The database became unavailable before the change was confirmed; read it back and retry (expectedRevision makes a retry safe).',
                extensions: { code: 'SERVICE_UNAVAILABLE' },
              },
            ],
          }),
        );
        return;
      }
      // A commit that fails means nothing was saved: say so rather than send the result.
      res.statusCode = 500;
      res.end(
        JSON.stringify({
          errors: [
            {
              message: 'The change could not be saved; nothing was written. Try again.',
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            },
          ],
        }),
      );
      throw e;
    }
    // Vary adds to what is already set (CORS's Origin); the rest replaces the defaults (security.ts's no-store).
    for (const [key, value] of result.headers)
      if (key === 'vary') res.appendHeader(key, value);
      else res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      sendWithValidator(req, res, result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      return reject(Object.assign(new Error(`request body is larger than ${max} bytes`), { status: 413 }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.destroy();
        reject(Object.assign(new Error(`request body is larger than ${max} bytes`), { status: 413 }));
      } else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (!chunks.length) return resolve(undefined);
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      // ASCII (what JSON bodies mostly are) reads as Latin-1 to the same text, faster than UTF-8's decoding.
      const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
      const type = req.headers['content-type'] ?? '';
      // Apollo decides what to do with other content types (its CSRF prevention refuses them).
      if (!type.includes('json')) return resolve(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return reject(Object.assign(new Error('request body is not valid JSON'), { status: 400 }));
      }
      // Only JSON escapes can carry these (UTF-8 bytes cannot): look closer only when one is there.
      const where = text.includes('\\u') && /\\u(0000|d[89a-f])/i.test(text) ? unstorableText(parsed) : undefined;
      if (where)
        return reject(
          Object.assign(
            new Error(`${where}: text contains U+0000 or a lone UTF-16 surrogate, which cannot be stored`),
            { status: 400, code: 'BAD_USER_INPUT' },
          ),
        );
      resolve(parsed);
    });
  });
}

// A high surrogate without its low one, a low one without its high one (UTF-16 code units, no u flag).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Text PostgreSQL cannot store: U+0000 or a lone surrogate. */
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * The path of the first string PostgreSQL could not store: one with U+0000
 * (text cannot hold it) or a lone surrogate (JSON snapshots in the history
 * refuse it). Refused at the door, so no service meets one.
 */
function unstorableText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, 'body']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${path}[${i}]`]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (unstorable(k)) return path;
        stack.push([x, `${path}.${k}`]);
      }
    }
  }
  return undefined;
}
