import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import type { AppCache } from '../fit-score/app-cache';
import { Loaders } from './loaders';

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
  /** Jobs to run once the current transaction commits (see withTransaction). */
  afterCommit?: (() => void)[];
  loaders: Loaders;
  log: Logger;
  /** The process's caches (compiled models, ICP heads, workspaces); absent outside the server. */
  cache?: AppCache;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system' };

export function createContext(args: Omit<RequestContext, 'loaders' | 'manager' | 'afterCommit'>): RequestContext {
  const ctx = { ...args } as RequestContext;
  ctx.loaders = new Loaders(ctx);
  return ctx;
}
