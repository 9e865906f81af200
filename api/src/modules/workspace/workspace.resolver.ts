import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { AttributeDefinition } from '../attribute/attribute.entity';
import { Icp } from '../icp/icp.entity';
import { Workspace } from './workspace.entity';
import { WorkspaceFilter } from './workspace.inputs';
import { workspaceService } from './workspace.service';

export const WorkspaceCrudResolver = crudResolver({
  type: Workspace,
  plural: 'workspaces',
  filter: WorkspaceFilter,
  service: workspaceService,
});

@Resolver(() => Workspace)
export class WorkspaceFieldsResolver {
  @FieldResolver(() => [AttributeDefinition], {
    description: "The catalogue of account attributes this workspace's rules may use.",
  })
  attributes(@Root() ws: Workspace, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(AttributeDefinition, 'workspaceId', { name: 'ASC' }).load(ws.id);
  }

  @FieldResolver(() => [Icp], { description: 'Its ICPs, by slug.' })
  icps(@Root() ws: Workspace, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(Icp, 'workspaceId', { slug: 'ASC' }).load(ws.id);
  }
}
