import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
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
  loaders: Loaders;
  log: Logger;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system' };

export function createContext(args: Omit<RequestContext, 'loaders' | 'manager'>): RequestContext {
  const ctx = { ...args } as RequestContext;
  ctx.loaders = new Loaders(ctx);
  return ctx;
}
