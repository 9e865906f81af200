import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fmt } from './harness';

const MAIN = path.resolve(__dirname, '../api/src/main.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Seconds from spawning the built server until /readyz answers 200; then SIGTERM and wait for exit. */
async function startOnce(dataDir: string): Promise<{ readyS: number; exitCode: number | null; stopS: number }> {
  const port = await freePort();
  const { DATABASE_URL: _unset, ...env } = process.env;
  const t0 = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > 120_000) throw new Error('server did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyS = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  child.kill('SIGTERM');
  const exitCode = await exited;
  return { readyS, exitCode, stopS: (Date.now() - t1) / 1000 };
}

export async function startupBench(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-bench-start-'));
  fs.chmodSync(dataDir, 0o755);
  try {
    const first = await startOnce(dataDir);
    const second = await startOnce(dataDir);
    return [
      '## Start-up (issue 2)',
      '',
      'The built server (`node dist/api/src/main.js`, what `npm start` runs after compiling) with `DATABASE_URL` unset, timed from spawn to `/readyz` = 200, then SIGTERM.',
      '',
      '| run | ready after | target | SIGTERM to exit | exit code |',
      '|---|---|---|---|---|',
      `| first (empty DATA_DIR: initdb, migrations, demo data, publish) | ${fmt(first.readyS)} s | < 60 s | ${fmt(first.stopS)} s | ${first.exitCode} |`,
      `| second (same DATA_DIR) | ${fmt(second.readyS)} s | < 10 s | ${fmt(second.stopS)} s | ${second.exitCode} |`,
      '',
      '`npm start` adds the TypeScript compile before this (about 3 s here).',
    ].join('\n');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
