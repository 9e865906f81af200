import { Workspace } from './workspace.entity';
import { WorkspaceCrudResolver, WorkspaceFieldsResolver } from './workspace.resolver';

export { Workspace } from './workspace.entity';
export { workspaceService } from './workspace.service';
export const workspaceModule = {
  entities: [Workspace],
  resolvers: [...WorkspaceCrudResolver, WorkspaceFieldsResolver],
};
