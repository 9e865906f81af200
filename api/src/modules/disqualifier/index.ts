import { Disqualifier } from './disqualifier.entity';
import { DisqualifierCrudResolver, DisqualifierFieldsResolver } from './disqualifier.resolver';

export { Disqualifier } from './disqualifier.entity';
export { disqualifierService } from './disqualifier.service';
export const disqualifierModule = {
  entities: [Disqualifier],
  resolvers: [...DisqualifierCrudResolver, DisqualifierFieldsResolver],
};
