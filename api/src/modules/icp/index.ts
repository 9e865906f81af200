import { Icp } from './icp.entity';
import { IcpCrudResolver, IcpFieldsResolver } from './icp.resolver';
import { icpService } from './icp.service';

export { Icp, IcpStatus } from './icp.entity';
export { icpService } from './icp.service';
export const icpModule = {
  entities: [Icp],
  services: [icpService],
  resolvers: [...IcpCrudResolver, IcpFieldsResolver],
};
