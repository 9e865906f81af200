import http from 'node:http';
import zlib from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/server';

// The console's files as the server sends them: compressed when the browser accepts it, cached by content hash.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    // The path exactly as given (a URL string would be normalised, hiding ../ from the server).
    http
      .get({ hostname, port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

it('serves the page uncached and its hashed assets compressed and cached for a year', async () => {
  const page = await get('/admin/');
  expect(page.status).toBe(200);
  expect(page.headers['cache-control']).toBe('no-cache');
  const scripts = [...page.body.toString().matchAll(/src="(\/admin\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  const raw = await get(scripts[0]);
  expect(raw.status).toBe(200);
  expect(raw.headers['content-encoding']).toBeUndefined();
  expect(raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  const br = await get(scripts[0], { 'accept-encoding': 'gzip, deflate, br' });
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['content-type']).toMatch(/javascript/);
  expect(br.headers.vary).toBe('Accept-Encoding');
  expect(zlib.brotliDecompressSync(br.body).equals(raw.body)).toBe(true);
  expect(br.body.length).toBeLessThan(raw.body.length / 2);
  const gz = await get(scripts[0], { 'accept-encoding': 'gzip' });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(gz.body).equals(raw.body)).toBe(true);
});

it('answers 404 for an asset that is not there, and the page for any console path', async () => {
  expect((await get('/admin/assets/gone-1234.js')).status).toBe(404);
  for (const path of [
    '/admin/assets/../../package.json',
    '/admin/assets/%2e%2e/%2e%2e/package.json',
    '/admin/assets/..%2f..%2fpackage.json',
  ]) {
    const res = await get(path);
    expect(res.body.toString()).not.toContain('"name": "icp-registry"');
  }
  const deep = await get('/admin/some/where');
  expect(deep.status).toBe(200);
  expect(deep.body.toString()).toContain('<div id="root">');
});
