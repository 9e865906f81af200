// The kernel every layer imports: it imports types only, and none of them from a module that imports it back.
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import type { AppCache } from '../cache/app-cache';
import type { Principal } from '../auth/principal';
import type { SignInLimiter } from '../auth/sign-in-limiter';
import type { Loaders } from './loaders';
import type { DbSession } from '../db/session';
import type { CookieChange } from '../auth/session-cookie';
import type { RequestQuota } from '../auth/quotas';
import type { RevisionAction } from './revision.entity';
import type { HistoryKeyring } from './history-keys';
import type { GraphqlOutcome } from '../observability/request-outcome';

export interface Actor {
  /** The user or API key behind the request; null for the system (demo loader, migrations). */
  id: string | null;
  label: string;
}

/**
 * The request context every service call takes first: who acts, in which
 * workspace, on which connection (`manager` is set inside a transaction),
 * with the request's own DataLoaders.
 */
export interface RequestContext {
  requestId: string;
  workspaceId: string;
  actor: Actor;
  ds: DataSource;
  manager?: EntityManager;
  /** The request's transaction (see db/session.ts); `manager` is its connection. */
  session?: DbSession;
  /** Jobs to run once the current transaction commits (see withTransaction). */
  afterCommit?: (() => void)[];
  loaders: Loaders;
  /** Every generic service by type name (built in modules.ts), for the verbs that work across types. */
  registry: ServiceRegistry;
  /** Signs the revisions this context writes, and verifies the history (core/history-keys.ts). */
  historyKeys: HistoryKeyring;
  log: Logger;
  /** Told of each revision once its transaction commits, to write scheduled checkpoints; absent outside the server. */
  checkpoints?: RevisionListener;
  /** The process's caches (compiled models, ICP heads, workspaces); absent outside the server. */
  cache?: AppCache;
  /** Who is asking (null: anonymous); absent outside the server. */
  principal?: Principal | null;
  /** What sign-in needs: the token secret and the attempt limiter; absent outside the server. */
  auth?: AuthDeps;
  /** The client's address, for sign-in limits. */
  clientAddress?: string;
  /** What the HTTP response should carry besides the result (the session cookie); shared by every copy of the context. */
  response?: { cookie?: CookieChange };
  /** The principal's quotas and what this request used of them; absent when quotas are off or for anonymous requests. */
  quota?: RequestQuota;
  /** How long one call may spend scoring a list of accounts (SCORE_TIME_BUDGET_MS); absent outside the server: none. */
  scoreTimeBudgetMs?: number;
  /** Where webhooks may point (https only in production, WEBHOOK_ALLOW_HOSTS); absent outside the server: the strictest. */
  webhookTargets?: {
    httpsOnly: boolean;
    allowHosts: readonly string[];
    resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  };
  /** What the request's log line and metrics report (operation, principal, error codes); absent outside the server. */
  outcome?: GraphqlOutcome;
}

/** What hears of committed revisions (versioning/checkpoint-scheduler.ts). */
export interface RevisionListener {
  revisionCommitted(workspaceId: string, chainIndex: number): void;
}

/** What sign-in and authentication need from the process (api/src/auth/auth.service.ts). */
export interface AuthDeps {
  ds: DataSource;
  cache: AppCache;
  secret: Uint8Array;
  limiter: SignInLimiter;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system' };

/** Fields made on first use, e.g. the request's logger and connection: most requests (warm scoring) need neither. */
export type LazyFields = { [K in 'log' | 'manager']?: () => RequestContext[K] };

const LAZY = Symbol('lazy fields');
type WithLazy = { [LAZY]?: LazyFields };
/** Setting a lazy field gives the context its own value. */
const own = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
/**
 * The prototype of every context: `manager` and `log` are read through the
 * context's own LAZY functions when it has no value of its own. One shared
 * prototype keeps contexts one shape; copies that keep the prototype
 * (Apollo's per-operation clone, `deriveContext`) keep the fields lazy.
 */
const CONTEXT_PROTO = {
  get manager(): EntityManager | undefined {
    return (this as WithLazy)[LAZY]?.manager?.();
  },
  set manager(value: EntityManager | undefined) {
    own(this, 'manager', value);
  },
  get log(): Logger | undefined {
    return (this as WithLazy)[LAZY]?.log?.();
  },
  set log(value: Logger | undefined) {
    own(this, 'log', value);
  },
};

/**
 * A request context; `lazy` fields are made when first read. Its creator
 * passes the Loaders class (core/loaders.ts): this module imports types only.
 */
export function createContext(
  { loaders, ...args }: Omit<RequestContext, 'loaders' | 'manager' | 'log'> & { log?: Logger; loaders: typeof Loaders },
  lazy?: LazyFields,
): RequestContext {
  const ctx = Object.assign(Object.create(CONTEXT_PROTO), args, lazy ? { [LAZY]: lazy } : {}) as RequestContext;
  ctx.loaders = new loaders(ctx, () => db(ctx));
  return ctx;
}

/** A copy of a context with some fields changed; its lazy fields stay lazy (a spread would drop them). */
export function deriveContext(ctx: RequestContext, changes: Partial<RequestContext>): RequestContext {
  return Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx, changes) as RequestContext;
}

/** The connection to read with: the session's (scoped to the workspace), else the pool (no tenant rows visible). */
export function db(ctx: RequestContext): EntityManager {
  return ctx.manager ?? ctx.ds.manager;
}

// The contract of the generic services, here beside the context they take, so that the context (which carries
// their registry) and the services import nothing of each other's files (core/entity-registry.ts implements it).
type Row = Record<string, unknown>;
export type Versioned = { id: string; revision: number };

export interface WriteOptions {
  /** Why, as the editor says it; kept in the revision. */
  reason?: string | null;
  /** Fields the service sets itself (not client input, so not validated as input). */
  set?: Row;
}

/**
 * What the generic verbs (revert, restore, cascading deletes, whole-ICP
 * snapshots) use of a service, whatever its entity type: the entries of the
 * registry built in modules.ts.
 */
export interface EntityService {
  readonly entity: new () => Versioned;
  readonly label: string;
  delete(ctx: RequestContext, id: string, expectedRevision: number, opts?: WriteOptions): Promise<Versioned>;
  applyUpdate(
    tx: RequestContext,
    existing: Versioned,
    input: Row,
    action: RevisionAction,
    reason?: string | null,
  ): Promise<Versioned>;
  revertTo(ctx: RequestContext, state: Row, currentRevision: number, reason: string): Promise<Versioned>;
}

/** Every generic service by its entity's type name (built once in modules.ts; see core/entity-registry.ts). */
export interface ServiceRegistry {
  find(type: string): EntityService | undefined;
  get(type: string): EntityService;
  services(): EntityService[];
}
