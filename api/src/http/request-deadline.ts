import type http from 'node:http';

/**
 * How long a client may take to send its whole request: Node's own `requestTimeout` (against clients that trickle a
 * body to hold connections open), as a timer per request that one handler can lift. Node's applies to every request
 * of a server alike, so it would cut a scoring stream (POST /v1/score/{icp}, a body of any length) after its five
 * minutes; the server turns Node's off and uses this one instead (server.ts).
 *
 * Past the deadline, a request not yet received in full is answered 408 if nothing was sent yet, and its connection
 * closed, as Node does. A handler that takes a long body on purpose (an authenticated stream) calls `liftDeadline`:
 * the request then lives as long as bytes move, in or out, and is cut after `idleMs` of silence instead.
 */
const lifted = new WeakSet<http.IncomingMessage>();

export function requestDeadline(ms: number): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const timer = setTimeout(() => {
      if (req.complete || lifted.has(req)) return;
      if (!res.headersSent) {
        res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
        res.end(
          JSON.stringify({
            errors: [
              {
                message: `the request was not received in full within ${ms} ms`,
                extensions: { code: 'REQUEST_TIMEOUT' },
              },
            ],
          }),
        );
      }
      req.socket.destroy();
    }, ms);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
  };
}

/**
 * The request's deadline replaced by an idle timeout: its socket is destroyed after `idleMs` without a byte read
 * or written (Node's socket timeout, with no 'timeout' listener on the request, the response or the server). When
 * the response ends, Node sets the socket's keep-alive timeout in its place.
 */
export function liftDeadline(req: http.IncomingMessage, idleMs: number): void {
  lifted.add(req);
  req.socket.setTimeout(idleMs);
}
