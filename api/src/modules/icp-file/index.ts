import { IcpFileResolver } from './icp-file.resolver';

export { icpFileService } from './icp-import.service';
export const icpFileModule = { entities: [], resolvers: [IcpFileResolver] };
