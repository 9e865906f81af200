import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { liftDeadline, requestDeadline } from './request-deadline';

/**
 * The deadline for receiving a request, on a real server on 127.0.0.1: it bounds the upload, not the answer, and a
 * lifted request lives while bytes move.
 */
const DEADLINE_MS = 500;

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/lifted') liftDeadline(req, res, DEADLINE_MS);
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => {
      // The answer itself takes longer than the deadline.
      setTimeout(() => res.end(String(size)), req.url === '/slow-answer' ? 3 * DEADLINE_MS : 0);
    });
  });
  requestDeadline(server, DEADLINE_MS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** POSTs `parts` one every `everyMs` (then stops if `stall`); the status and body, or the error that ended it. */
function send(path: string, parts: string[], everyMs: number, stall = false) {
  const length = parts.join('').length + (stall ? 1 : 0);
  const req = http.request(`${base}${path}`, { method: 'POST', headers: { 'content-length': String(length) } });
  const started = Date.now();
  const done = new Promise<{ status?: number; body?: string; error?: string; ms: number }>((resolve) => {
    req.on('error', (e) => resolve({ error: e.message, ms: Date.now() - started }));
    req.on('response', (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => resolve({ status: r.statusCode, body, ms: Date.now() - started }));
      r.on('error', (e) => resolve({ error: e.message, ms: Date.now() - started }));
    });
  });
  void (async () => {
    for (const p of parts) {
      req.write(p);
      await sleep(everyMs);
    }
    if (!stall) req.end();
  })();
  return done;
}

describe('requestDeadline', () => {
  it('bounds the time to receive the request: a body still coming at the deadline gets 408', async () => {
    const r = await send('/', ['{"a":', '1'], 50, true);
    expect(r.status).toBe(408);
    expect(JSON.parse(r.body!).errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
  });

  it('does not bound the answer: a request received in time is answered however long it takes', async () => {
    const r = await send('/slow-answer', ['{"a":1}'], 0);
    expect(r).toMatchObject({ status: 200, body: '7' });
    expect(r.ms).toBeGreaterThanOrEqual(3 * DEADLINE_MS - 20);
  });

  it('lifted: a body that keeps moving may take longer than the deadline', async () => {
    // A part every 50 ms: ten times within the idle timeout, over longer than the deadline.
    const parts = Array.from({ length: 16 }, (_, i) => `${i},`);
    const r = await send('/lifted', parts, 50);
    expect(r).toMatchObject({ status: 200, body: String(parts.join('').length) });
    expect(r.ms).toBeGreaterThan(DEADLINE_MS + 100);
  });

  it("lifted: the idle timeout ends with its answer, not carried to a pipelined request's", async () => {
    // Two requests sent at once on one connection: a lifted one, then one whose answer takes three idle timeouts.
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const post = (path: string, body: string) =>
      `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    socket.write(post('/lifted', '1,2,') + post('/slow-answer', '{}'));
    await Promise.race([closed, sleep(4 * DEADLINE_MS)]);
    socket.destroy();
    // Both answered: 4 bytes, then 2.
    expect(text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(text).toMatch(/\r\n\r\n4HTTP\/1\.1 200 [^]*\r\n\r\n2$/);
  });

  it('lifted: a body that falls silent is cut after the idle timeout', async () => {
    const r = await send('/lifted', ['1,', '2,'], 50, true);
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/socket hang up|ECONNRESET/);
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 1_000);
  });
});
