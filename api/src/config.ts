import path from 'node:path';
import { historyKeyring, type HistoryPublicKey, parseRetiredKey } from './core/history-keys';

/**
 * Every setting the process reads from its environment, with its default.
 * The README's configuration table mirrors this list; a bad value stops the
 * start with a message naming the variable.
 */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** The owner's connection, for migrations. Unset: an embedded PostgreSQL is started in dataDir. */
  databaseUrl?: string;
  /** The application's own login (a member of icp_app). Unset: icp_app with a password derived from databaseUrl. */
  appDatabaseUrl?: string;
  dataDir: string;
  dbPoolSize: number;
  /** How long a request waits for a pool connection (or a new connection to open) before SERVICE_UNAVAILABLE. */
  dbPoolWaitMs: number;
  /** PostgreSQL's statement_timeout for the application's queries; 0 = none. */
  dbStatementTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  loadDemoData: boolean;
  shutdownGraceMs: number;
  /** Reverse proxies in front of the server whose X-Forwarded-For is trusted (the client address for sign-in limits). */
  trustProxyHops: number;
  /** Signs session tokens; every API process of one deployment needs the same. Required in production; elsewhere a random one is kept (auth/secret.ts). */
  authSecret?: string;
  /** Signs every history entry (Ed25519 seed, 64 hex characters); the database never holds it. Required in production; elsewhere one is kept in dataDir (auth/secret.ts). */
  historySigningKey?: string;
  /** Retired signing keys' public halves, with when each was retired: entries they signed up to then still verify. */
  historyRetiredKeys: HistoryPublicKey[];
  /** When the server writes a signed checkpoint of a chain to the sink (CHECKPOINT_EVERY). */
  checkpointEvery: CheckpointEvery;
  /** The append-only directory checkpoints are written to (outside PostgreSQL). */
  checkpointDir: string;
  /** The first admin, created on the first start of a database without users. */
  adminEmail?: string;
  adminPassword?: string;
  /** What one GraphQL request may ask for (auth/operation-guard.ts). */
  limits: OperationLimits;
  /** Requests per principal (API key or user) per quota window, across every process; 0 = no quota. */
  quotaRequestsPerMinute: number;
  /** Scored accounts per principal per quota window (fitScore 1, fitScores and simulate their list length); 0 = no quota. */
  quotaAccountsPerMinute: number;
  /** How often each process writes its local use to PostgreSQL (and learns the others'). */
  quotaFlushMs: number;
  /** The quota window: 60 s in every deployment; tests shorten it to see a window reset. */
  quotaWindowSeconds: number;
  /** How long one fitScores or simulateIcp call may spend scoring; past it the call fails (no partial answer). */
  scoreTimeBudgetMs: number;
  /** How long a client may take to send a whole request (http/request-deadline.ts); past it: 408 and closed. */
  requestTimeoutMs: number;
  /** A scoring stream has no deadline (its body may be any length): it is cut after this long without a byte moving. */
  streamIdleTimeoutMs: number;
  /** Webhook deliveries (modules/webhook): where they may go, how often and how long they are tried. */
  webhooks: WebhookConfig;
  /** Browser origins allowed to call /graphql and /v1/* cross-origin (exact matches); none: no CORS headers at all. */
  corsOrigins: string[];
  /** The bearer token GET /metrics requires (METRICS_TOKEN); unset: open, except in production where /metrics is off. */
  metricsToken?: string;
  /**
   * Not from the environment: count the statements each request sends (AppServer.requestQueries; tests and
   * benches). Off by default: it needs an async context per request, which costs every request a little.
   */
  countQueries?: boolean;
}

export interface WebhookConfig {
  /** WEBHOOK_ALLOW_HOSTS: hosts exempt from the private-address checks (loopback, RFC 1918, …); https stays required in production. */
  allowHosts: string[];
  /** WEBHOOK_POLL_MS: how often each process looks for due deliveries (its own commits wake it at once). */
  pollMs: number;
  /** WEBHOOK_TIMEOUT_MS: one attempt, connection and answer. */
  timeoutMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** WEBHOOK_RETRY_BASE_MS: the wait after a first failure, doubled after each. */
  retryBaseMs: number;
  /** Not from the environment: how the SSRF guard resolves a target's name (the system's resolver when absent; tests map names). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

/** Limits on one GraphQL document, counted across every fragment spread. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
  /** Lexical tokens, counted by the parser (it stops at the limit). */
  maxTokens: number;
  maxDirectives: number;
  /** A field costs 1, a list argument its length, fields under a list once per item (per account scored, else 10 assumed). */
  maxCost: number;
  /** Accounts scored by one request, summed over fitScore (1), fitScores and simulateIcp (their lists). */
  maxAccounts: number;
}

/** Every `revisions` revisions of a chain, and/or every `minutes` for each chain written to since; null: not by that. */
export interface CheckpointEvery {
  revisions: number | null;
  minutes: number | null;
}

/**
 * A checkpoint of a chain every 1000 revisions, and every hour for a chain
 * written to in the hour: a busy workspace is anchored often, a quiet one at
 * most once an hour, and an idle one never (its last checkpoint still holds).
 */
export const DEFAULT_CHECKPOINT_EVERY = '1000,60m';

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxFields: 1000,
  maxTokens: 5000,
  maxDirectives: 50,
  maxCost: 500_000,
  maxAccounts: 10_000,
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function databaseUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL (expected postgres://user:password@host:port/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw new ConfigError(`${name} must be at least 32 characters (got ${raw.length})`);
  return raw;
}

function email(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) throw new ConfigError(`${name} must be an email address, got "${raw}"`);
  return raw.toLowerCase();
}

function adminPassword(env: Env): string | undefined {
  const raw = env.ADMIN_PASSWORD;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 12) throw new ConfigError('ADMIN_PASSWORD must be at least 12 characters');
  if (!env.ADMIN_EMAIL) throw new ConfigError('ADMIN_PASSWORD is set but ADMIN_EMAIL is not');
  return raw;
}

/** Comma-separated exact origins (`https://app.example.com`): no wildcard, path or trailing slash. */
function origins(env: Env, name: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const entry of entries) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry)
      throw new ConfigError(
        `${name}: "${entry}" is not an origin (scheme://host[:port], no path, no trailing slash), e.g. https://app.example.com`,
      );
  }
  return entries;
}

/** A value parsed by the module that uses it; its refusal (naming the variable) as a configuration error. */
function configured<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** `<public key>@<retired at>` entries, separated by commas or white space. */
function retiredKeys(env: Env, name: string): HistoryPublicKey[] {
  const entries = (env[name] ?? '').split(/[\s,]+/).filter(Boolean);
  return entries.map((entry) => configured(() => parseRetiredKey(entry, name)));
}

/** `<n>` revisions and/or `<n>m` minutes, comma-separated (e.g. `1000,60m`), or `off`. */
export function checkpointEvery(env: Env, name = 'CHECKPOINT_EVERY'): CheckpointEvery {
  const raw = (env[name] || DEFAULT_CHECKPOINT_EVERY).trim();
  const every: CheckpointEvery = { revisions: null, minutes: null };
  if (raw === 'off') return every;
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(m?)$/.exec(part);
    const key = m?.[2] ? 'minutes' : 'revisions';
    const n = Number(m?.[1]);
    if (!m || n < 1 || n > 100_000_000)
      throw new ConfigError(
        `${name}: "${part}" must be a number of revisions (e.g. 1000) or of minutes (e.g. 60m), at least 1; give one or both, comma-separated, or "off" (got "${raw}")`,
      );
    if (every[key] !== null) throw new ConfigError(`${name}: "${raw}" gives the ${key} twice`);
    every[key] = n;
  }
  return every;
}

// Production counts by default (a key cannot take the whole service); elsewhere quotas are off unless set.
const PRODUCTION_QUOTAS = { requests: 1200, accounts: 100_000 };

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const authSecret = secret(env, 'AUTH_SECRET');
  if (nodeEnv === 'production' && !authSecret) {
    throw new ConfigError(
      'AUTH_SECRET is required when NODE_ENV=production: it signs session tokens, so it must be a secret of at least 32 random characters (e.g. `openssl rand -hex 32`), the same for every process of the deployment',
    );
  }
  const historySigningKey = env.HISTORY_SIGNING_KEY || undefined;
  if (nodeEnv === 'production' && !historySigningKey) {
    throw new ConfigError(
      'HISTORY_SIGNING_KEY is required when NODE_ENV=production: it signs every history entry, so it must be 64 random hexadecimal characters (`openssl rand -hex 32`) kept outside the database, the same for every process of the deployment',
    );
  }
  if (historySigningKey) configured(() => historyKeyring(historySigningKey));
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(env.DATA_DIR || '.data');
  return {
    nodeEnv,
    port: int(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: databaseUrl(env, 'DATABASE_URL'),
    appDatabaseUrl: databaseUrl(env, 'APP_DATABASE_URL'),
    dataDir,
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 500),
    dbPoolWaitMs: int(env, 'DB_POOL_WAIT_MS', 2000, 100, 60_000),
    dbStatementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    loadDemoData: bool(env, 'LOAD_DEMO_DATA', true),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    trustProxyHops: int(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    authSecret,
    historySigningKey,
    historyRetiredKeys: retiredKeys(env, 'HISTORY_PUBLIC_KEYS'),
    checkpointEvery: checkpointEvery(env),
    checkpointDir: path.resolve(dataDir, env.CHECKPOINT_DIR || 'checkpoints'),
    adminEmail: email(env, 'ADMIN_EMAIL'),
    adminPassword: adminPassword(env),
    limits: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 100),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 10_000),
      maxFields: int(env, 'GRAPHQL_MAX_FIELDS', DEFAULT_LIMITS.maxFields, 10, 100_000),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 100, 1_000_000),
      maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 0, 10_000),
      maxCost: int(env, 'GRAPHQL_MAX_COST', DEFAULT_LIMITS.maxCost, 100, 100_000_000),
      maxAccounts: int(env, 'GRAPHQL_MAX_ACCOUNTS', DEFAULT_LIMITS.maxAccounts, 1, 1_000_000),
    },
    quotaRequestsPerMinute: int(
      env,
      'QUOTA_REQUESTS_PER_MINUTE',
      production ? PRODUCTION_QUOTAS.requests : 0,
      0,
      100_000_000,
    ),
    quotaAccountsPerMinute: int(
      env,
      'QUOTA_ACCOUNTS_PER_MINUTE',
      production ? PRODUCTION_QUOTAS.accounts : 0,
      0,
      100_000_000,
    ),
    quotaFlushMs: int(env, 'QUOTA_FLUSH_MS', 100, 10, 5_000),
    quotaWindowSeconds: 60,
    scoreTimeBudgetMs: int(env, 'SCORE_TIME_BUDGET_MS', 10_000, 1, 3_600_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 300_000, 1_000, 3_600_000),
    streamIdleTimeoutMs: int(env, 'STREAM_IDLE_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
    webhooks: {
      allowHosts: (env.WEBHOOK_ALLOW_HOSTS ?? '')
        .split(/[\s,]+/)
        .map((h) => h.replace(/^\[(.*)\]$/, '$1').toLowerCase())
        .filter(Boolean),
      pollMs: int(env, 'WEBHOOK_POLL_MS', 2000, 10, 600_000),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
      retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    },
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    metricsToken: secret(env, 'METRICS_TOKEN'),
  };
}

/** Database URL with the password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
