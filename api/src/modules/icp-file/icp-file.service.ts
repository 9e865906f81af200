import type { RequestContext } from '../../graphql/context';
import { switchWorkspace, withTransaction } from '../../db/transaction';
import { attributeService } from '../attribute/attribute.service';
import { disqualifierService } from '../disqualifier/disqualifier.service';
import { exampleAccountService } from '../example-account/example-account.service';
import type { Icp } from '../icp/icp.entity';
import { icpService } from '../icp/icp.service';
import { personaService } from '../persona/persona.service';
import { actionBandService, scoringDimensionService, scoringRuleService } from '../scoring/scoring.service';
import { tierService } from '../tier/tier.service';
import { triggerEventService } from '../trigger-event/trigger-event.service';
import { useCasePatternService } from '../use-case-pattern/use-case-pattern.service';
import type { Workspace } from '../workspace/workspace.entity';
import { workspaceService } from '../workspace/workspace.service';
import { assertIcpFile, checkWorkspaceFile, IcpFile, WorkspaceFile } from './icp-file';
import { ValidationError } from '../../graphql/errors';

/**
 * Creates a whole ICP from its file through the same services the API uses,
 * in one transaction: all of it is created, or nothing.
 */
export async function createIcpFromFile(ctx: RequestContext, doc: unknown, file = ''): Promise<Icp> {
  assertIcpFile(doc, file);
  const { tiers = [], personas = [], useCasePatterns = [], disqualifiers = [], triggerEvents = [], exampleAccounts = [], scoring = {}, ...fields } = doc as IcpFile;
  return withTransaction(ctx, async (tx) => {
    const icp = await icpService.create(tx, fields);
    const tierIds = new Map<string, string>();
    for (const t of tiers) tierIds.set(t.name as string, (await tierService.create(tx, { ...t, icpId: icp.id })).id);
    for (const [position, { tier, ...p }] of personas.entries()) {
      await personaService.create(tx, { ...p, position, icpId: icp.id, tierId: tier ? tierIds.get(tier) : null });
    }
    for (const [position, p] of useCasePatterns.entries()) await useCasePatternService.create(tx, { ...p, position, icpId: icp.id });
    for (const [position, d] of disqualifiers.entries()) await disqualifierService.create(tx, { ...d, position, icpId: icp.id });
    for (const [position, t] of triggerEvents.entries()) await triggerEventService.create(tx, { ...t, position, icpId: icp.id });
    for (const [position, { rules = [], ...dim }] of (scoring.dimensions ?? []).entries()) {
      const dimension = await scoringDimensionService.create(tx, { ...dim, position, icpId: icp.id });
      for (const [rulePosition, r] of (rules as Record<string, unknown>[]).entries()) {
        await scoringRuleService.create(tx, { ...r, position: rulePosition, dimensionId: dimension.id });
      }
    }
    for (const b of scoring.bands ?? []) await actionBandService.create(tx, { ...b, icpId: icp.id });
    for (const [position, e] of exampleAccounts.entries()) await exampleAccountService.create(tx, { ...e, position, icpId: icp.id });
    return icp;
  });
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
