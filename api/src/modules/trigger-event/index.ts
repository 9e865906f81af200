import { TriggerEvent } from './trigger-event.entity';
import { TriggerEventCrudResolver, TriggerEventFieldsResolver } from './trigger-event.resolver';

export { TriggerEvent } from './trigger-event.entity';
export { triggerEventService } from './trigger-event.service';
export const triggerEventModule = {
  entities: [TriggerEvent],
  resolvers: [...TriggerEventCrudResolver, TriggerEventFieldsResolver],
};
