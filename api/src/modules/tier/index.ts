import { Tier } from './tier.entity';
import { TierCrudResolver, TierFieldsResolver, TierIcpResolver } from './tier.resolver';

export { Tier, TierKind } from './tier.entity';
export { tierService } from './tier.service';
export const tierModule = { entities: [Tier], resolvers: [...TierCrudResolver, TierFieldsResolver, TierIcpResolver] };
