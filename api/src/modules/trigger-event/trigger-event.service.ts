import { CrudService } from '../../core/crud.service';
import { ACCOUNT_CHECK_LIST, checkAccountExpression } from '../shared/account-check';
import { icpChild } from '../shared/icp-child';
import { TriggerEvent } from './trigger-event.entity';
import { TriggerEventInput } from './trigger-event.inputs';

export const triggerEventService = new CrudService<TriggerEvent>({
  ...icpChild<TriggerEvent>(),
  entity: TriggerEvent,
  label: 'trigger event',
  input: TriggerEventInput,
  searchable: [...ACCOUNT_CHECK_LIST.searchable],
  sortable: [...ACCOUNT_CHECK_LIST.sortable],
  defaultSort: { position: 'ASC' },
  beforeWrite: checkAccountExpression,
});
