import type { AuthProvider } from 'react-admin';
import type { Me, MyPermissions } from '../generated/graphql';
import { RESOURCES } from '../resources/registry';
import { typeOf } from '../resources/fields';
import { landingPage, mayAccess } from './access';
import { GraphQLRequestError, gql, session } from './graphql';

/** Who is signed in, and what the server's policy lets them do (myPermissions). */
type Principal = Pick<Me, 'id' | 'label' | 'role' | 'workspaceSlug'> & Pick<MyPermissions, 'operations'>;
let me: Promise<Principal> | undefined;
const whoAmI = () =>
  (me ??= gql<{ me: Principal; myPermissions: Pick<MyPermissions, 'operations'> }>(
    '{ me { id: principalId label role workspaceSlug } myPermissions { operations } }',
  ).then(
    (d) => ({ ...d.me, operations: d.myPermissions.operations }),
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
    // The first page this role may open (a client may list no record: it lands on the page that says what it may do).
    const { operations } = await whoAmI();
    return {
      redirectTo: landingPage(
        operations,
        RESOURCES.map((r) => r.name),
      ),
    };
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
    return session.active() ? (await whoAmI()).operations : undefined;
  },
  /** What the console offers: what the server's policy lets this principal do (the server still decides). */
  async canAccess({ action, resource }: { action: string; resource: string }) {
    if (!session.active()) return false;
    const { operations } = await whoAmI();
    const own = RESOURCES.find((r) => r.name === resource)?.operations;
    try {
      return mayAccess(operations, resource, typeOf(resource), action, own);
    } catch {
      // Not a resource of the schema: nothing to offer.
      return false;
    }
  },
};
