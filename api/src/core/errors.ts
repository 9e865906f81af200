/**
 * The one set of typed errors. Services throw these; `formatError`
 * (graphql/errors.ts) maps them to GraphQL error codes in one place and masks
 * everything else.
 */
export interface FieldProblem {
  /** Where: `input.name`, `tiers[2].criteria`, `id`. */
  path: string;
  message: string;
  /** For a problem in an expression: the expression and the character range [start, end). */
  expression?: string;
  start?: number;
  end?: number;
  /** For a problem in a file (an imported ICP file): where, 1-based. */
  line?: number;
  column?: number;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  static one(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
  extensions() {
    return { problems: this.problems };
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly path?: string,
  ) {
    super(`${path ? `${path}: ` : ''}no ${entity} with id "${id}"`);
  }
  extensions() {
    return { entity: this.entity, id: this.id, ...(this.path ? { path: this.path } : {}) };
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  extensions() {
    return this.details;
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
}

export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'The database is unavailable right now; retry shortly.') {
    super(message);
  }
}

/** A quota of the caller's (api/src/auth/quotas.ts) is used up for this window: HTTP 429. */
export class TooManyRequestsError extends AppError {
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    readonly quota: string,
    readonly limit: number,
    readonly windowSeconds: number,
    readonly retryAfterSeconds: number,
    who: string,
  ) {
    super(`The ${quota} quota of ${who} (${limit} per ${windowSeconds} s) is used up; retry in ${retryAfterSeconds} s`);
  }
  extensions() {
    return {
      quota: this.quota,
      limit: this.limit,
      windowSeconds: this.windowSeconds,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}

// SQLSTATE classes and codes meaning "the database cannot serve now": connection exceptions (08),
// too many connections, shutting down / starting up / crash recovery, and lock or statement timeouts.
const UNAVAILABLE_SQLSTATES = /^(08...|53300|57P0[1-4]|57014|55P03)$/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// node-postgres raises these as plain Errors without a code.
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end/;
// TypeORM releases a query runner whose connection failed, and then refuses its queries. A
// request's runner (db/session.ts) is otherwise released only after the request's last query,
// so inside a request these mean the connection was lost.
const RELEASED_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * Is this error the database (or the way to it) being unavailable, rather
 * than a bug? Follows TypeORM's `driverError`, GraphQL's `originalError` and `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    if (RELEASED_RUNNER.has((e as Error).name)) return true;
    const next = e as { driverError?: unknown; originalError?: unknown; cause?: unknown };
    e = next.driverError ?? next.originalError ?? next.cause;
  }
  return false;
}

/** The database refused a text value it cannot hold (PostgreSQL text has no U+0000): the client's input, not a bug. */
function isUnstorableText(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '22021' || code === '22P05';
}

/**
 * The typed error an error stands for: itself, or what a database error
 * means for the client (unavailable: retry; unstorable text: bad input).
 * Undefined for anything else, which is a bug and is masked.
 */
export function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError();
  if (isUnstorableText(error))
    return ValidationError.one(
      'input',
      'a text value contains U+0000 (the NUL character), which PostgreSQL cannot store',
    );
  return undefined;
}
