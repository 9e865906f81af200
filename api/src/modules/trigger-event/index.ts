import { TriggerEvent } from './trigger-event.entity';
import { TriggerEventCrudResolver, TriggerEventFieldsResolver } from './trigger-event.resolver';
import { triggerEventService } from './trigger-event.service';

export { TriggerEvent } from './trigger-event.entity';
export { triggerEventService } from './trigger-event.service';
export const triggerEventModule = {
  entities: [TriggerEvent],
  services: [triggerEventService],
  resolvers: [...TriggerEventCrudResolver, TriggerEventFieldsResolver],
};
