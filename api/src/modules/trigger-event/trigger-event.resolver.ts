import { crudResolver } from '../../graphql/crud.resolver';
import { icpParentResolver } from '../shared/icp-child';
import { TriggerEvent } from './trigger-event.entity';
import { TriggerEventFilter } from './trigger-event.inputs';
import { triggerEventService } from './trigger-event.service';

export const TriggerEventCrudResolver = crudResolver({
  type: TriggerEvent,
  plural: 'triggerEvents',
  filter: TriggerEventFilter,
  service: triggerEventService,
});
export const TriggerEventFieldsResolver = icpParentResolver(TriggerEvent);
