import type { DataSource } from 'typeorm';
import { createContext, type LazyFields, type RequestContext, SYSTEM_ACTOR } from '../../api/src/core/context';
import { Loaders } from '../../api/src/core/loaders';
import { REGISTRY } from '../../api/src/modules';
import { TEST_HISTORY_KEYS, testLog } from './db';

/** A request context acting as the system in a workspace, for tests that call services directly. */
export function systemContext(
  ds: DataSource,
  workspaceId: string,
  more: Partial<RequestContext> = {},
  lazy?: LazyFields,
): RequestContext {
  return createContext(
    {
      requestId: 'test',
      workspaceId,
      actor: SYSTEM_ACTOR,
      ds,
      registry: REGISTRY,
      historyKeys: TEST_HISTORY_KEYS,
      log: testLog,
      ...more,
      loaders: Loaders,
    },
    lazy,
  );
}
