import { startTracing, type Tracing } from './tracing';

/**
 * Imported first by main.ts, before anything that loads `http`, `graphql` or
 * `pg`: the tracing SDK, when configured, must patch them as they load.
 */
export const tracing: Tracing | undefined = startTracing();
