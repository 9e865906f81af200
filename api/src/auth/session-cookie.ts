import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';

// `cookie` is ESM-only: loaded once with a dynamic import before the server starts (as jose is).
type CookieLib = typeof import('cookie', { with: { 'resolution-mode': 'import' } });
let lib: CookieLib | undefined;
export async function loadCookie(): Promise<void> {
  lib ??= await import('cookie');
}

/** The console's session: the token in a cookie scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict). */
export const SESSION_COOKIE = 'icp_session';

/** What a resolver asks to be done to the session cookie; applied to the response by `sessionCookiePlugin`. */
export type CookieChange = { token: string; maxAge: number } | { clear: true };

/** What the plugin reads of a request context (core/context.ts, which imports CookieChange from here). */
type CookieContext = { response?: { cookie?: CookieChange } };

/** The session token in the request's cookie, if any. */
export function sessionCookieOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.cookie;
  if (!header || !header.includes(SESSION_COOKIE)) return undefined;
  return lib!.parseCookie(header)[SESSION_COOKIE] || undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** Secure unless the browser reached us as localhost over plain http (development), where a Secure cookie would be dropped. */
function secure(host: string | undefined, forwardedProto: string | undefined): boolean {
  const proto = forwardedProto?.split(',')[0].trim().toLowerCase() ?? 'http';
  return !(proto === 'http' && host !== undefined && LOOPBACK.test(host));
}

export function sessionCookieHeader(
  change: CookieChange,
  host: string | undefined,
  forwardedProto: string | undefined,
): string {
  const value = 'token' in change ? change.token : '';
  return lib!.stringifySetCookie({
    name: SESSION_COOKIE,
    value,
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    maxAge: 'token' in change ? change.maxAge : 0,
    secure: secure(host, forwardedProto),
  });
}

/**
 * Resolvers cannot touch the HTTP response: they leave the change on the
 * context (`ctx.response.cookie`) and this plugin writes the Set-Cookie
 * header once the result is known. A failed operation sets nothing.
 */
export function sessionCookiePlugin(): ApolloServerPlugin<CookieContext> {
  // One listener object for every request (nothing per request to allocate: this runs on the scoring path too).
  const listener: GraphQLRequestListener<CookieContext> = {
    async willSendResponse({ contextValue, response, request }) {
      const change = contextValue.response?.cookie;
      if (!change || !response.http) return;
      const headers = request.http?.headers;
      response.http.headers.set(
        'set-cookie',
        sessionCookieHeader(change, headers?.get('host'), headers?.get('x-forwarded-proto')),
      );
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
