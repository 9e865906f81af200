import { Disqualifier } from './disqualifier.entity';
import { DisqualifierCrudResolver, DisqualifierFieldsResolver } from './disqualifier.resolver';
import { disqualifierService } from './disqualifier.service';

export { Disqualifier } from './disqualifier.entity';
export { disqualifierService } from './disqualifier.service';
export const disqualifierModule = {
  entities: [Disqualifier],
  services: [disqualifierService],
  resolvers: [...DisqualifierCrudResolver, DisqualifierFieldsResolver],
};
