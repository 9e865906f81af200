import { CrudService } from '../../core/crud.service';
import { ACCOUNT_CHECK_LIST, checkAccountExpression } from '../shared/account-check';
import { icpChild } from '../shared/icp-child';
import { Disqualifier } from './disqualifier.entity';
import { DisqualifierInput } from './disqualifier.inputs';

export const disqualifierService = new CrudService<Disqualifier>({
  ...icpChild<Disqualifier>(),
  entity: Disqualifier,
  label: 'disqualifier',
  input: DisqualifierInput,
  searchable: [...ACCOUNT_CHECK_LIST.searchable],
  sortable: [...ACCOUNT_CHECK_LIST.sortable],
  defaultSort: { position: 'ASC' },
  beforeWrite: checkAccountExpression,
});
