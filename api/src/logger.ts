import pino, { type Logger } from 'pino';

// Anything that could carry a credential is censored wherever it appears in a log line.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.apiKey',
  'variables.password',
  'databaseUrl',
];

/** JSON lines on stdout, or on `destination` (tests read what was logged). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'icp-api' } }, destination);
}

export type { Logger };
