import type { EntityRegistry } from '../core/entity-registry';
import { HistoryResolver } from './history.resolver';
import { IcpVersion } from './icp-version.entity';
import { IcpVersionResolver, IcpVersionsFieldResolver } from './icp-version.resolver';
import { revertResolver } from './revert.resolver';
import { PUBLISHED_RESOLVERS, VersionPartsResolver } from './published';
import { Revision } from '../core/revision.entity';

/** History and versions; reverting a record works across the types of the registry it is given. */
export const versioningModule = (registry: EntityRegistry) => ({
  entities: [Revision, IcpVersion],
  resolvers: [
    HistoryResolver,
    revertResolver(registry),
    IcpVersionResolver,
    IcpVersionsFieldResolver,
    VersionPartsResolver,
    ...PUBLISHED_RESOLVERS,
  ],
});
