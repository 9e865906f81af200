import { Icp } from './icp.entity';
import { IcpCrudResolver, IcpFieldsResolver, IcpPartResolvers } from './icp.resolver';
import { ProvenanceResolver } from '../shared/provenance.resolver';
import { icpService } from './icp.service';

export { Icp, IcpStatus } from './icp.entity';
export { icpService } from './icp.service';
export const icpModule = {
  entities: [Icp],
  services: [icpService],
  resolvers: [...IcpCrudResolver, IcpFieldsResolver, ...IcpPartResolvers, ProvenanceResolver],
};
