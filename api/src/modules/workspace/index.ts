import { Workspace } from './workspace.entity';
import { WorkspaceCrudResolver, WorkspaceFieldsResolver } from './workspace.resolver';
import { workspaceService } from './workspace.service';

export { Workspace } from './workspace.entity';
export { workspaceService } from './workspace.service';
export const workspaceModule = {
  entities: [Workspace],
  services: [workspaceService],
  resolvers: [...WorkspaceCrudResolver, WorkspaceFieldsResolver],
};
