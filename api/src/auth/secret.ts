import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type HistoryKeyring, type HistoryPublicKey, historyKeyring } from '../core/history-keys';

/**
 * The key that signs session tokens: AUTH_SECRET (required in production, see
 * config.ts); else a random key, generated once and kept, never derived from
 * anything an attacker might know or guess:
 * - embedded database: in DATA_DIR/auth-secret (mode 0600);
 * - DATABASE_URL: in the owner-only table instance_secret, so every process
 *   sharing the database agrees on it (the first to start writes it).
 */
export async function authSecret(
  config: { authSecret?: string; databaseUrl?: string; dataDir: string },
  ownerUrl: string,
): Promise<Uint8Array> {
  if (config.authSecret) return new TextEncoder().encode(config.authSecret);
  const key = config.databaseUrl
    ? await secretInDatabase(ownerUrl, 'auth')
    : secretInFile(path.join(config.dataDir, 'auth-secret'));
  return new TextEncoder().encode(key);
}

/**
 * The keys of the history (core/history-keys.ts): HISTORY_SIGNING_KEY
 * (required in production), else a key generated once and kept in
 * DATA_DIR/history-signing-key (0600), with or without DATABASE_URL: never in
 * the database, whose roles must not be able to sign.
 */
export function historyKeys(config: {
  historySigningKey?: string;
  historyRetiredKeys: HistoryPublicKey[];
  dataDir: string;
}): HistoryKeyring {
  const file = path.join(config.dataDir, 'history-signing-key');
  const seed = config.historySigningKey ?? secretInFile(file);
  return historyKeyring(seed, config.historyRetiredKeys, config.historySigningKey ? 'HISTORY_SIGNING_KEY' : file);
}

function secretInFile(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': a second process starting at the same moment keeps the first one's key.
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

async function secretInDatabase(ownerUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // ON CONFLICT DO NOTHING: processes starting together all read the one row that won.
    await client.query('INSERT INTO instance_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      randomBytes(32).toString('hex'),
    ]);
    const { rows } = await client.query<{ value: string }>('SELECT value FROM instance_secret WHERE name = $1', [name]);
    return rows[0].value;
  } finally {
    await client.end();
  }
}
