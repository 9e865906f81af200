import { HistoryResolver } from './history.resolver';
import { IcpVersion } from './icp-version.entity';
import { IcpVersionResolver, IcpVersionsFieldResolver } from './icp-version.resolver';
import { Revision } from '../core/revision.entity';

export const versioningModule = {
  entities: [Revision, IcpVersion],
  resolvers: [HistoryResolver, IcpVersionResolver, IcpVersionsFieldResolver],
};
