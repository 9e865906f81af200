import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { createContext, SYSTEM_ACTOR } from '../core/context';
import { Loaders } from '../core/loaders';
import { switchWorkspace, withTransaction } from '../db/transaction';
import { AppUser } from '../modules/user/user.entity';
import { userService } from '../modules/user/user.service';
import { membershipService } from '../modules/membership/membership.service';
import { workspaceService } from '../modules/workspace/workspace.service';
import { generatePassword } from './passwords';
import { Role } from './roles';
import { REGISTRY } from '../modules';
import type { HistoryKeyring } from '../core/history-keys';

/**
 * The first admin of an empty database: from ADMIN_EMAIL / ADMIN_PASSWORD,
 * or, for the embedded local default without them, admin@icp.local with a
 * generated password printed once. No default password ever exists.
 */
export async function ensureFirstAdmin(
  ds: DataSource,
  opts: { email?: string; password?: string; generate: boolean; historyKeys: HistoryKeyring },
  log?: Logger,
): Promise<void> {
  if ((await ds.getRepository(AppUser).count()) > 0) return;
  let { email, password } = opts;
  let generated = false;
  if (!email || !password) {
    if (!opts.generate) {
      log?.warn('No user exists yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first admin');
      return;
    }
    email = email ?? 'admin@icp.local';
    password = generatePassword();
    generated = true;
  }
  let workspaces: string[] = (await ds.query('SELECT id FROM icp_workspace_ids()')).map((r: { id: string }) => r.id);
  const ctx = createContext({
    requestId: 'bootstrap',
    workspaceId: workspaces[0] ?? '',
    actor: SYSTEM_ACTOR,
    ds,
    registry: REGISTRY,
    historyKeys: opts.historyKeys,
    log,
    loaders: Loaders,
  });
  await withTransaction(ctx, async (tx) => {
    // An admin needs a workspace to act in.
    if (!workspaces.length)
      workspaces = [(await workspaceService.create(tx, { slug: 'default', name: 'Default workspace' })).id];
    // The user joins the first workspace as ADMIN (through userService), then every other one.
    const user = await userService.create(
      await switchWorkspace(tx, workspaces[0]),
      { email, name: 'Administrator', password, role: Role.ADMIN },
      { reason: 'first admin' },
    );
    for (const ws of workspaces.slice(1)) {
      await membershipService.create(
        await switchWorkspace(tx, ws),
        { userId: user.id, role: Role.ADMIN },
        { reason: 'first admin' },
      );
    }
  });
  log?.info({ email }, 'first admin created');
  if (generated) {
    // Printed once, to the terminal, not to the JSON log.
    process.stdout.write(
      `\n  First admin created: ${email}\n  Password (shown only now): ${password}\n  Sign in at /admin, or: mutation { login(email: "${email}", password: "…") { token } }\n\n`,
    );
  }
}
