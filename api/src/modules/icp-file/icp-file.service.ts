import type { RequestContext } from '../../core/context';
import { switchWorkspace, withTransaction } from '../../db/transaction';
import { attributeService } from '../attribute/attribute.service';
import type { Icp } from '../icp/icp.entity';
import type { Workspace } from '../workspace/workspace.entity';
import { workspaceService } from '../workspace/workspace.service';
import { assertIcpFile, checkWorkspaceFile, type WorkspaceFile } from './icp-file';
import { icpFileService } from './icp-import.service';
import { ValidationError } from '../../core/errors';

/**
 * Creates a whole ICP from its file (the demo loader's way), in one
 * transaction: all of it, or nothing. It is an import into an ICP that does
 * not exist yet, so files are turned into records in one place.
 */
export async function createIcpFromFile(ctx: RequestContext, doc: unknown, file = ''): Promise<Icp> {
  assertIcpFile(doc, file);
  return (await icpFileService.applyFile(ctx, doc)).icp!;
}

/** Creates a workspace and its attribute catalogue from a workspace file; returns a context inside it. */
export async function createWorkspaceFromFile(ctx: RequestContext, doc: unknown, file = ''): Promise<Workspace> {
  const problems = checkWorkspaceFile(doc, file);
  if (problems.length) throw new ValidationError(problems);
  const { attributes = [], ...fields } = doc as WorkspaceFile;
  return withTransaction(ctx, async (tx) => {
    const ws = await workspaceService.create(tx, fields);
    const inWs = await switchWorkspace(tx, ws.id);
    for (const a of attributes) await attributeService.create(inWs, a);
    await switchWorkspace(tx, tx.workspaceId);
    return ws;
  });
}
