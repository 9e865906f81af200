import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { DataSource } from 'typeorm';
import { createLogger, type Logger } from '../logger';
import { createContext, SYSTEM_ACTOR } from '../core/context';
import { Loaders } from '../core/loaders';
import { switchWorkspace, withTransaction } from '../db/transaction';
import { createIcpFromFile, createWorkspaceFromFile } from '../modules/icp-file/icp-file.service';
import { PROJECT_ROOT } from '../paths';
import { icpVersionService } from '../versioning/icp-version.service';
import { REGISTRY } from '../modules';
import type { HistoryKeyring } from '../core/history-keys';

const silentLog = createLogger('silent');

export const DEMO_DIR = path.join(PROJECT_ROOT, 'api', 'src', 'demo');
export const DEMO_ICP_FILES = [
  'itsm.icp.yaml',
  'make-enterprise.icp.yaml',
  'ml-inference.icp.yaml',
  'driftsentry.icp.yaml',
];

export function readYaml(file: string): unknown {
  return YAML.parse(fs.readFileSync(path.join(DEMO_DIR, file), 'utf8'));
}

/**
 * Loads the demo workspace (the seed documents, modelled) into an empty
 * database, through the same services the API uses, in one transaction, and
 * publishes each ICP as version 1 so it can be scored at once.
 */
export async function loadDemoData(ds: DataSource, historyKeys: HistoryKeyring, log?: Logger): Promise<boolean> {
  // Row-level security hides every workspace outside a session: ask the start-up function.
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM icp_workspace_ids()');
  if (n > 0) return false;
  const started = Date.now();
  const ctx = createContext({
    requestId: 'demo-loader',
    workspaceId: '',
    actor: SYSTEM_ACTOR,
    ds,
    registry: REGISTRY,
    historyKeys,
    log: log ?? silentLog,
    loaders: Loaders,
  });
  await withTransaction(ctx, async (tx) => {
    const ws = await createWorkspaceFromFile(tx, readYaml('workspace.yaml'), 'workspace.yaml');
    const inWs = await switchWorkspace(tx, ws.id);
    for (const file of DEMO_ICP_FILES) {
      const icp = await createIcpFromFile(inWs, readYaml(file), file);
      await icpVersionService.publish(inWs, icp.id, 'Version 1: modelled from the seed document.');
    }
  });
  log?.info({ ms: Date.now() - started, icps: DEMO_ICP_FILES.length }, 'demo data loaded');
  return true;
}
