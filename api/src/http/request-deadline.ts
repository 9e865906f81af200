import type http from 'node:http';

/**
 * How long a client may take to send its whole request: Node's own `requestTimeout` (against clients that trickle a
 * body to hold connections open), as a timer per request that one handler can lift. Node's applies to every request
 * of a server alike, so it would cut a scoring stream (POST /v1/score/{icp}, a body of any length) after its five
 * minutes; `requestDeadline` turns Node's off on the server and puts this one before every request's handler.
 *
 * As Node's: the deadline is for receiving the request, not for answering it, and it holds until the last byte of
 * the body has arrived, even when the handler answered early (a 401, a 413, a 404) and Node is discarding the rest.
 * Past it, the connection is closed, after a 408 written straight to the socket when nothing of an answer has been
 * (never through the response object, which a handler may still be using). A handler that takes a long body on
 * purpose (an authenticated stream) calls `liftDeadline`: the request then lives as long as bytes move, in or out,
 * and is cut after its idle timeout instead.
 */
const lifted = new WeakSet<http.IncomingMessage>();

/** The response being written on a socket now (Node's own field; a pipelined request's waits its turn). */
type WithCurrent = { _httpMessage?: http.ServerResponse | null };

export function requestDeadline(server: http.Server, ms: number): void {
  const body = JSON.stringify({
    errors: [
      { message: `the request was not received in full within ${ms} ms`, extensions: { code: 'REQUEST_TIMEOUT' } },
    ],
  });
  const timeout =
    'HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  server.requestTimeout = 0;
  // Before the server's own 'request' listener: every request has its deadline before any handler runs.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const timer = setTimeout(() => {
      const socket = req.socket;
      if (req.complete || lifted.has(req) || socket.destroyed) return;
      const current = (socket as unknown as WithCurrent)._httpMessage;
      if (socket.writable && !res.headersSent && (!current || current === res)) socket.write(timeout);
      socket.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    // The body read to its end, by the handler or by Node discarding what the handler left.
    req.once('end', clear);
    res.once('close', () => {
      if (req.complete) clear();
    });
  });
}

/**
 * The request's deadline replaced by an idle timeout: its socket is destroyed after `idleMs` without a byte read
 * or written (Node's socket timeout, with no 'timeout' listener on the request, the response or the server). When
 * the response has been sent the socket's timeout is cleared first, and Node then sets its keep-alive timeout.
 */
export function liftDeadline(req: http.IncomingMessage, res: http.ServerResponse, idleMs: number): void {
  lifted.add(req);
  const socket = req.socket;
  socket.setTimeout(idleMs);
  // Before Node's own 'finish' listener, which sets the keep-alive timeout when no pipelined answer is waiting.
  res.prependOnceListener('finish', () => socket.setTimeout(0));
}
