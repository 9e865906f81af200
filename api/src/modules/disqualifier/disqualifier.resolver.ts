import { crudResolver } from '../../graphql/crud.resolver';
import { icpParentResolver } from '../shared/icp-child';
import { Disqualifier } from './disqualifier.entity';
import { DisqualifierFilter } from './disqualifier.inputs';
import { disqualifierService } from './disqualifier.service';

export const DisqualifierCrudResolver = crudResolver({
  type: Disqualifier,
  plural: 'disqualifiers',
  filter: DisqualifierFilter,
  service: disqualifierService,
});
export const DisqualifierFieldsResolver = icpParentResolver(Disqualifier);
