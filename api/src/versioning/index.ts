import type { EntityRegistry } from '../core/entity-registry';
import { historyResolver } from './history.resolver';
import { IcpVersion } from './icp-version.entity';
import { IcpVersionResolver, IcpVersionsFieldResolver } from './icp-version.resolver';
import { revertResolver } from './revert.resolver';
import { SqlExportResolver } from './sql-export.resolver';
import { PUBLISHED_RESOLVERS, VersionPartsResolver } from './published';
import { Revision } from '../core/revision.entity';

/** History and versions; the history's filter and reverting a record work across the types of the registry it is given. */
export const versioningModule = (registry: EntityRegistry) => ({
  entities: [Revision, IcpVersion],
  resolvers: [
    historyResolver(registry),
    revertResolver(registry),
    IcpVersionResolver,
    IcpVersionsFieldResolver,
    VersionPartsResolver,
    SqlExportResolver,
    ...PUBLISHED_RESOLVERS,
  ],
});
