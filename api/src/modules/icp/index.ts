import { Icp } from './icp.entity';
import { IcpCrudResolver, IcpFieldsResolver, IcpPartResolvers } from './icp.resolver';

export { Icp, IcpStatus } from './icp.entity';
export { icpService } from './icp.service';
export const icpModule = { entities: [Icp], resolvers: [...IcpCrudResolver, IcpFieldsResolver, ...IcpPartResolvers] };
