import { permissionsOf } from '../../api/src/auth/policy';
import { Role } from '../../api/src/auth/roles';
import { AUDIT_OPERATION, landingPage, mayAccess } from '../../admin/src/providers/access';

// The console's reading of the server's policy (admin/src/providers/access.ts), fed what myPermissions returns.
const ops = (role: Role) => permissionsOf(role).operations;
const RESOURCES = ['icps', 'tiers', 'personas', 'appUsers', 'invitations', 'apiKeys'];

describe("the console's access, from the server's policy", () => {
  it('lands every role on a page it may see: a client, which may list no record, on the welcome page', () => {
    expect(landingPage(ops(Role.ADMIN), RESOURCES)).toBe('/icps');
    expect(landingPage(ops(Role.AUDITOR), RESOURCES)).toBe('/icps');
    expect(landingPage(ops(Role.CLIENT), RESOURCES)).toBe('/welcome');
  });

  it('offers what the policy allows and nothing more', () => {
    expect(mayAccess(ops(Role.STRATEGY_OWNER), 'tiers', 'Tier', 'edit')).toBe(true);
    expect(mayAccess(ops(Role.AUDITOR), 'tiers', 'Tier', 'list')).toBe(true);
    expect(mayAccess(ops(Role.AUDITOR), 'tiers', 'Tier', 'edit')).toBe(false);
    expect(mayAccess(ops(Role.CLIENT), 'icps', 'Icp', 'list')).toBe(false);
    // Invitations are listed by admins only, and created through inviteUser.
    expect(mayAccess(ops(Role.AUDITOR), 'invitations', 'Invitation', 'list')).toBe(false);
    expect(mayAccess(ops(Role.ADMIN), 'invitations', 'Invitation', 'create')).toBe(false);
    expect(mayAccess(ops(Role.ADMIN), 'invitations', 'Invitation', 'create', { create: 'inviteUser' })).toBe(true);
    expect(mayAccess(ops(Role.STRATEGY_OWNER), 'apiKeys', 'ApiKey', 'create')).toBe(false);
    expect(mayAccess(ops(Role.ADMIN), 'apiKeys', 'ApiKey', 'create')).toBe(true);
    expect(mayAccess(ops(Role.ADMIN), 'tiers', 'Tier', 'fly')).toBe(false);
  });
});

describe("the auditor's page", () => {
  it('is offered to every role that may verify the history, and to no other', () => {
    const offered = Object.values(Role).filter((role) => ops(role).includes(AUDIT_OPERATION));
    expect(offered).toEqual([Role.ADMIN, Role.STRATEGY_OWNER, Role.AUDITOR]);
    // The page calls these too: whoever sees it may use them all.
    for (const role of offered)
      expect(ops(role)).toEqual(expect.arrayContaining(['historyCheckpoint', 'historyPublicKeys', 'me']));
  });
});
