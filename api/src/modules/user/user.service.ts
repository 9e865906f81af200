import { CrudService, type WriteOptions } from '../../core/crud.service';
import type { RequestContext } from '../../core/context';
import { withTransaction } from '../../db/transaction';
import { Role } from '../../auth/roles';
import { membershipService } from '../membership/membership.service';
import { ValidationError } from '../../core/errors';
import { hashPassword } from '../../auth/passwords';
import { announceAuthChange } from '../../cache/announce';
import { AppUser } from './user.entity';
import { UserInput } from './user.inputs';

/**
 * Users are global: no workspace's API changes their record. Accounts are
 * made by the first-admin bootstrap and by accepting an invitation; a
 * workspace manages its members through their memberships.
 */
class UserService extends CrudService<AppUser> {
  /** A new user joins the current workspace with the role given (default CLIENT). */
  async create(ctx: RequestContext, input: object, opts: WriteOptions = {}): Promise<AppUser> {
    const { role, ...rest } = input as UserInput;
    return withTransaction(ctx, async (tx) => {
      const user = await super.create(tx, rest, opts);
      await membershipService.create(tx, { userId: user.id, role: role ?? Role.CLIENT }, opts);
      return user;
    });
  }
}

export const userService = new UserService({
  entity: AppUser,
  label: 'user',
  input: UserInput,
  searchable: ['email', 'name'],
  sortable: ['email', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { email: 'ASC' },
  hidden: ['passwordHash'],
  beforeWrite: async (ctx, next, existing) => {
    next.email = String(next.email).trim().toLowerCase();
    if (typeof next.password === 'string') next.passwordHash = await hashPassword(next.password);
    delete next.password;
    delete next.role;
    // The stored hash is never loaded (select: false): only a new user must bring one.
    if (!existing && !next.passwordHash) throw ValidationError.one('input.password', 'is required for a new user');
    if (existing) await announceAuthChange(ctx);
  },
  beforeDelete: async (ctx) => announceAuthChange(ctx),
  // Users are global; a workspace sees its members only.
  visible: (ctx) => ({
    sql: 'e.id IN (SELECT m.user_id FROM membership m WHERE m.workspace_id = :memberOf)',
    params: { memberOf: ctx.workspaceId },
  }),
  dependents: () => [{ service: membershipService, field: 'userId', onDelete: 'delete' }],
});
