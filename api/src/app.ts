import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { redactUrl } from './config';
import type { Logger } from './logger';
import { createDataSource } from './db/data-source';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded';
import { enableAppLogin } from './db/roles';
import { assertDatabaseSecurity } from './db/security-check';
import { loadDemoData } from './demo/load-demo';
import { ensureFirstAdmin } from './auth/bootstrap';
import { authSecret, historyKeys } from './auth/secret';
import { type HistoryKeyring, publicKeyText } from './core/history-keys';
import { type AppServer, createServer } from './server';

export interface RunningApp {
  ds: DataSource;
  server: AppServer;
  url: string;
  /** Finishes in-flight requests, closes the pool, stops the embedded database. */
  shutdown(): Promise<void>;
}

// Serialises start-up work (migrations, role, demo data) across processes sharing a database.
const STARTUP_LOCK = 7_341_000;

/**
 * As the owner: migrations and the application role. Then, as the
 * application role: the demo data when the database is empty. Returns the
 * application's connection URL.
 */
export async function prepareDatabase(
  ownerUrl: string,
  config: Pick<Config, 'appDatabaseUrl' | 'loadDemoData' | 'adminEmail' | 'adminPassword'> & {
    generateAdmin?: boolean;
    /** Signs the revisions the demo data and the first admin write. */
    historyKeys: HistoryKeyring;
  },
  log?: Logger,
): Promise<string> {
  const owner = createDataSource({ url: ownerUrl, poolSize: 1, log });
  await owner.initialize();
  try {
    await owner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    const ran = await owner.runMigrations({ transaction: 'each' });
    if (ran.length) log?.info({ migrations: ran.map((m) => m.name) }, 'migrations applied');
    const appUrl = config.appDatabaseUrl ?? (await enableAppLogin(owner, ownerUrl));
    const app = createDataSource({ url: appUrl, poolSize: 2, log });
    await app.initialize();
    try {
      if (config.loadDemoData) await loadDemoData(app, config.historyKeys, log);
      await ensureFirstAdmin(
        app,
        {
          email: config.adminEmail,
          password: config.adminPassword,
          generate: !!config.generateAdmin,
          historyKeys: config.historyKeys,
        },
        log,
      );
    } finally {
      await app.destroy();
    }
    return appUrl;
  } finally {
    await owner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => undefined);
    await owner.destroy();
  }
}

/** Database (embedded when DATABASE_URL is unset), migrations, demo data, HTTP server. */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  let embedded: EmbeddedDatabase | undefined;
  let ownerUrl = config.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, log);
    ownerUrl = embedded.url;
  }
  log.info({ database: redactUrl(ownerUrl), embedded: !!embedded }, 'connecting to PostgreSQL');
  let ds: DataSource | undefined;
  let secret: Uint8Array;
  try {
    const keys = historyKeys(config);
    // The public half, for HISTORY_PUBLIC_KEYS once this key is retired (README, Audit).
    const { keyId, key } = keys.publicKeys.get(keys.signing.keyId)!;
    log.info({ keyId, publicKey: publicKeyText(key) }, 'history signing key');
    const appUrl = await prepareDatabase(ownerUrl, { ...config, generateAdmin: !!embedded, historyKeys: keys }, log);
    secret = await authSecret(config, ownerUrl);
    ds = createDataSource({
      url: appUrl,
      poolSize: config.dbPoolSize,
      log,
      poolWaitMs: config.dbPoolWaitMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
    });
    await ds.initialize();
    await assertDatabaseSecurity(ds);
  } catch (e) {
    if (ds?.isInitialized) await ds.destroy();
    await embedded?.stop();
    throw e;
  }
  const server = await createServer(config, ds, log, secret);
  await new Promise<void>((resolve) => server.httpServer.listen(config.port, config.host, resolve));
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const publicUrl = `http://localhost:${port}`;
  log.info({ graphql: `${publicUrl}/graphql`, console: `${publicUrl}/admin` }, 'ready');

  const appDs = ds;
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      await server.stop();
      await appDs.destroy();
      await embedded?.stop();
    })());
  return { ds: appDs, server, url: publicUrl, shutdown };
}
