import path from 'node:path';
import { DEFAULT_LIMITS, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('has a default for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 4000,
      nodeEnv: 'development',
      dbPoolSize: 10,
      logLevel: 'info',
      loadDemoData: true,
      shutdownGraceMs: 10_000,
      dbPoolWaitMs: 2000,
      dbStatementTimeoutMs: 30_000,
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('.data'));
    expect(c.limits).toEqual(DEFAULT_LIMITS);
  });

  it('reads the GraphQL document limits', () => {
    expect(loadConfig({ GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_COST: '1000' }).limits).toMatchObject({
      maxDepth: 8,
      maxCost: 1000,
      maxAliases: 30,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535, got 70000'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE must be between 1 and 500, got 0'],
    [{ DB_POOL_WAIT_MS: '50' }, 'DB_POOL_WAIT_MS must be between 100 and 60000, got 50'],
    [{ DB_STATEMENT_TIMEOUT_MS: '-1' }, 'DB_STATEMENT_TIMEOUT_MS must be a whole number, got "-1"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test, got "prod"'],
    [{ LOAD_DEMO_DATA: 'maybe' }, 'LOAD_DEMO_DATA must be true or false, got "maybe"'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a valid URL'],
    [{ NODE_ENV: 'production' }, 'AUTH_SECRET is required when NODE_ENV=production'],
    [{ NODE_ENV: 'production', AUTH_SECRET: 'short' }, 'AUTH_SECRET must be at least 32 characters (got 5)'],
    [
      { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) },
      'HISTORY_SIGNING_KEY is required when NODE_ENV=production',
    ],
    [{ HISTORY_SIGNING_KEY: 'abc' }, 'HISTORY_SIGNING_KEY must be 64 hexadecimal characters'],
    [{ HISTORY_SIGNING_KEY: 'g'.repeat(64) }, 'HISTORY_SIGNING_KEY must be 64 hexadecimal characters'],
    [{ HISTORY_PUBLIC_KEYS: 'nokey' }, 'HISTORY_PUBLIC_KEYS: "nokey" must be <public key>@<retirement time, ISO 8601>'],
    [
      { HISTORY_PUBLIC_KEYS: `${'A'.repeat(43)}@yesterday` },
      `HISTORY_PUBLIC_KEYS: "${'A'.repeat(43)}@yesterday" must be <public key>@<retirement time, ISO 8601>`,
    ],
    [
      { HISTORY_PUBLIC_KEYS: 'short@2026-01-01T00:00:00Z' },
      'HISTORY_PUBLIC_KEYS: "short" is not an Ed25519 public key',
    ],
    [
      { CHECKPOINT_EVERY: 'hourly' },
      'CHECKPOINT_EVERY: "hourly" must be a number of revisions (e.g. 1000) or of minutes (e.g. 60m), at least 1',
    ],
    [{ CHECKPOINT_EVERY: '0' }, 'CHECKPOINT_EVERY: "0" must be a number of revisions'],
    [{ CHECKPOINT_EVERY: '10s' }, 'CHECKPOINT_EVERY: "10s" must be a number of revisions'],
    [{ CHECKPOINT_EVERY: '100,200' }, 'CHECKPOINT_EVERY: "100,200" gives the revisions twice'],
    [{ CHECKPOINT_EVERY: '5m,1000,5m' }, 'CHECKPOINT_EVERY: "5m,1000,5m" gives the minutes twice'],
    [{ GRAPHQL_MAX_ACCOUNTS: '0' }, 'GRAPHQL_MAX_ACCOUNTS must be between 1 and 1000000, got 0'],
    [{ QUOTA_REQUESTS_PER_MINUTE: 'lots' }, 'QUOTA_REQUESTS_PER_MINUTE must be a whole number, got "lots"'],
    [
      { QUOTA_ACCOUNTS_PER_MINUTE: '200000000' },
      'QUOTA_ACCOUNTS_PER_MINUTE must be between 0 and 100000000, got 200000000',
    ],
    [{ QUOTA_FLUSH_MS: '1' }, 'QUOTA_FLUSH_MS must be between 10 and 5000, got 1'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('counts quotas by default in production only; 0 turns one off', () => {
    expect(loadConfig({})).toMatchObject({
      quotaRequestsPerMinute: 0,
      quotaAccountsPerMinute: 0,
      quotaFlushMs: 100,
      quotaWindowSeconds: 60,
    });
    const production = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), HISTORY_SIGNING_KEY: 'f'.repeat(64) };
    expect(loadConfig(production)).toMatchObject({ quotaRequestsPerMinute: 1200, quotaAccountsPerMinute: 100_000 });
    expect(
      loadConfig({ ...production, QUOTA_REQUESTS_PER_MINUTE: '0', QUOTA_ACCOUNTS_PER_MINUTE: '500' }),
    ).toMatchObject({ quotaRequestsPerMinute: 0, quotaAccountsPerMinute: 500 });
  });

  it('writes checkpoints every 1000 revisions and hourly by default, to DATA_DIR/checkpoints', () => {
    expect(loadConfig({ DATA_DIR: '/srv/icp' })).toMatchObject({
      checkpointEvery: { revisions: 1000, minutes: 60 },
      checkpointDir: '/srv/icp/checkpoints',
    });
    expect(loadConfig({ CHECKPOINT_EVERY: ' 250 ', CHECKPOINT_DIR: '/audit' })).toMatchObject({
      checkpointEvery: { revisions: 250, minutes: null },
      checkpointDir: '/audit',
    });
    expect(loadConfig({ CHECKPOINT_EVERY: '15m, 10' }).checkpointEvery).toEqual({ revisions: 10, minutes: 15 });
    expect(loadConfig({ CHECKPOINT_EVERY: 'off' }).checkpointEvery).toEqual({ revisions: null, minutes: null });
  });

  it('reads CORS_ORIGINS as exact origins, none by default', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' https://app.example.com, http://localhost:5173 ' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/' })).toThrow(
      'CORS_ORIGINS: "https://app.example.com/" is not an origin (scheme://host[:port], no path, no trailing slash)',
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow('CORS_ORIGINS: "*" is not an origin');
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow('CORS_ORIGINS: "app.example.com" is not');
  });

  it('masks the password of a database URL for logs', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/icp')).toBe('postgres://app:***@db:5432/icp');
  });
});
