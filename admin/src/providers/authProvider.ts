import type { AuthProvider } from 'react-admin';
import { GraphQLRequestError, gql, session } from './graphql';

interface Me {
  id: string;
  label: string;
  role: string;
  workspaceSlug: string;
}
let me: Promise<Me> | undefined;
const READ_ACTIONS = ['list', 'show', 'export', 'read'];
const ADMIN_ONLY = ['appUsers', 'memberships', 'apiKeys', 'invitations'];
const whoAmI = () =>
  (me ??= gql<{ me: Me }>('{ me { id label role workspaceSlug } }').then(
    (d) => d.me,
    (e) => {
      me = undefined;
      throw e;
    },
  ));

/** Sign-in with the login mutation, which sets the HttpOnly session cookie; the console never holds the token. */
export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { expiresIn } }', {
      e: username,
      p: password,
    });
    session.started();
    me = undefined;
    // Who this is decides what the console shows: ask now, while the pages load.
    void whoAmI().catch(() => undefined);
    // Straight to the ICPs (every role may list them), without first asking which resources may be listed.
    return { redirectTo: '/icps' };
  },
  async logout() {
    // The server clears the cookie; the hint goes even if it cannot be reached.
    if (session.active()) await gql('mutation { logout }').catch(() => undefined);
    session.clear();
    me = undefined;
  },
  async checkAuth() {
    // React-Admin's convention: a plain rejection sends the user to the sign-in page, without a notification.
    if (!session.active()) return Promise.reject({ message: false });
    await whoAmI().catch(() => {
      session.clear();
      return Promise.reject({ message: false });
    });
  },
  async checkError(error: unknown) {
    // An expired or ended session signs the user out; without one, checkAuth already sends them to sign in.
    if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED' && session.active()) {
      session.clear();
      me = undefined;
      throw error;
    }
  },
  async getIdentity() {
    if (!session.active()) return { id: '' };
    const m = await whoAmI();
    return { id: m.id, fullName: `${m.label} (${m.role.toLowerCase().replace('_', ' ')}, ${m.workspaceSlug})` };
  },
  async getPermissions() {
    return session.active() ? (await whoAmI()).role : undefined;
  },
  /**
   * What the console offers, by role (the server decides: this only hides what
   * would be refused). Auditors and clients read; strategy owners also edit
   * and publish; admins also manage users, memberships and API keys.
   */
  async canAccess({ action, resource }: { action: string; resource: string }) {
    if (!session.active()) return false;
    const { role } = await whoAmI();
    if (READ_ACTIONS.includes(action)) return true;
    if (role === 'ADMIN') return true;
    return role === 'STRATEGY_OWNER' && !ADMIN_ONLY.includes(resource);
  },
};
