import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import type { AppCache } from '../fit-score/app-cache';
import type { Principal } from '../auth/principal';
import type { AuthDeps } from '../auth/auth.service';
import { Loaders } from './loaders';
import type { DbSession } from '../db/session';

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
  log: Logger;
  /** The process's caches (compiled models, ICP heads, workspaces); absent outside the server. */
  cache?: AppCache;
  /** Who is asking (null: anonymous); absent outside the server. */
  principal?: Principal | null;
  /** What sign-in needs: the token secret and the attempt limiter; absent outside the server. */
  auth?: AuthDeps;
  /** The client's address, for sign-in limits. */
  clientAddress?: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system' };

export function createContext(args: Omit<RequestContext, 'loaders' | 'manager' | 'afterCommit' | 'session'>): RequestContext {
  const ctx = { ...args } as RequestContext;
  ctx.loaders = new Loaders(ctx);
  return ctx;
}
