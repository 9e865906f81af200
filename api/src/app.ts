import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { redactUrl } from './config';
import type { Logger } from './logger';
import { createDataSource } from './db/data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded';
import { loadDemoData } from './demo/load-demo';
import { AppServer, createServer } from './server';

export interface RunningApp {
  ds: DataSource;
  server: AppServer;
  url: string;
  /** Finishes in-flight requests, closes the pool, stops the embedded database. */
  shutdown(): Promise<void>;
}

/** Database (embedded when DATABASE_URL is unset), migrations, demo data, HTTP server. */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir, log);
    url = embedded.url;
  }
  log.info({ database: redactUrl(url), embedded: !!embedded }, 'connecting to PostgreSQL');
  const ds = createDataSource({ url, poolSize: config.dbPoolSize, log });
  try {
    await ds.initialize();
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (ran.length) log.info({ migrations: ran.map((m) => m.name) }, 'migrations applied');
    if (config.loadDemoData) await loadDemoData(ds, log);
  } catch (e) {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
    throw e;
  }
  const server = await createServer(config, ds, log);
  await new Promise<void>((resolve) => server.httpServer.listen(config.port, config.host, resolve));
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const publicUrl = `http://localhost:${port}`;
  log.info({ graphql: `${publicUrl}/graphql`, console: `${publicUrl}/admin` }, 'ready');

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      await server.stop();
      await ds.destroy();
      await embedded?.stop();
    })());
  return { ds, server, url: publicUrl, shutdown };
}
