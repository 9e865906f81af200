import { CrudService } from '../../core/crud.service';
import { announceAuthChange } from '../../cache/announce';
import { AppUser } from '../user/user.entity';
import { Membership } from './membership.entity';
import { MembershipInput } from './membership.inputs';

// Granting, changing and removing a role are revisions like any change: the audit trail of access.
export const membershipService = new CrudService<Membership>({
  entity: Membership,
  label: 'membership',
  input: MembershipInput,
  references: [{ field: 'userId', entity: AppUser, label: 'user' }],
  immutable: ['userId'],
  searchable: [],
  sortable: ['role', 'createdAt', 'updatedAt'],
  defaultSort: { createdAt: 'ASC' },
  beforeWrite: async (ctx) => announceAuthChange(ctx),
  beforeDelete: async (ctx) => announceAuthChange(ctx),
});
