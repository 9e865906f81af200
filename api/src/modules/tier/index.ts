import { Tier } from './tier.entity';
import { TierCrudResolver, TierFieldsResolver, TierIcpResolver } from './tier.resolver';
import { tierService } from './tier.service';

export { Tier, TierKind } from './tier.entity';
export { tierService } from './tier.service';
export const tierModule = {
  entities: [Tier],
  services: [tierService],
  resolvers: [...TierCrudResolver, TierFieldsResolver, TierIcpResolver],
};
