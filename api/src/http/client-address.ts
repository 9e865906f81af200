import type { IncomingMessage } from 'node:http';

/**
 * The client's address for per-address limits (sign-in). Behind `hops`
 * trusted proxies (TRUST_PROXY_HOPS) it is the address the outermost trusted
 * proxy saw: the `hops`-th entry from the right of X-Forwarded-For (entries
 * further left are the client's own words and could be forged). With no
 * trusted proxy the header is ignored: anyone can send one.
 */
export function clientAddressOf(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than trusted hops: the request did not come through them all; the farthest one known is used.
  return chain.length ? chain[Math.max(0, chain.length - hops)] : socket;
}
