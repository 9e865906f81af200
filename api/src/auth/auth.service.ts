import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { db, deriveContext, type AuthDeps, type RequestContext } from '../core/context';
import { ForbiddenError, isDatabaseUnavailable, ValidationError, type FieldProblem } from '../core/errors';
import { withTransaction } from '../db/transaction';
import { recordRevision } from '../core/revision-writer';
import { SYSTEM_CHAIN } from '../core/history-rows';
import { RevisionAction } from '../core/revision.entity';
import { userService } from '../modules/user/user.service';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { SignInRefused } from './sign-in-limiter';
import { sessionCookieOf } from './session-cookie';
import { API_KEY_PREFIX, hashSecretToken, signToken, TOKEN_TTL_SECONDS, verifyToken } from './tokens';
import type { Role } from './roles';

/** Global events (sign-ins) have no workspace: they are chained under this id. */
export const SYSTEM_WORKSPACE = SYSTEM_CHAIN;

/** Longest inputs sign-in looks at (RFC 5321's longest address; a generous passphrase): checked before anything is counted, stored or hashed. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_PASSWORD_LENGTH = 1024;

const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
const forbidden = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
const tooMany = (e: SignInRefused) =>
  new GraphQLError(`${e.message}; try again in ${e.retryAfter} s`, {
    extensions: {
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: e.retryAfter,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(e.retryAfter)]]) },
    },
  });

export interface Session {
  token: string;
  expiresIn: number;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  session_epoch: number;
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomUUID()));

/** Over-long inputs are refused whole: nothing is recorded for them (they never were a sign-in attempt). */
function assertBounded(fields: [path: string, value: string, max: number][]): void {
  const problems: FieldProblem[] = fields
    .filter(([, v, max]) => v.length > max)
    .map(([path, v, max]) => ({ path, message: `is ${v.length} characters long; at most ${max} are allowed` }));
  if (problems.length) throw new ValidationError(problems);
}

/**
 * The one password check: the attempt is counted first (refused here when
 * over a limit), the user is read in a short query on the pool (no
 * connection is held while scrypt runs), then scrypt, bounded process-wide.
 * Returns the user when the password is right.
 */
async function checkPassword(
  deps: AuthDeps,
  email: string,
  password: string,
  address: string,
): Promise<UserRow | null> {
  await deps.limiter.consume(email, address).catch((e: unknown) => {
    throw e instanceof SignInRefused ? tooMany(e) : e;
  });
  const [user]: UserRow[] = await deps.ds.query('SELECT * FROM icp_auth_user($1)', [email]);
  // An unknown email costs the same scrypt as a known one: the answer's timing does not tell which emails exist.
  const ok = (await verifyPassword(password, user?.password_hash ?? (await dummyHash()))) && !!user;
  if (!ok) return null;
  await deps.limiter.succeeded(email, address);
  return user;
}

/** The sign-in event, in a short transaction of its own in the system chain (never the request's, whose workspace it would change). */
async function recordSignIn(ctx: RequestContext, user: UserRow | null, email: string, address: string): Promise<void> {
  const own = deriveContext(ctx, {
    session: undefined,
    manager: undefined,
    afterCommit: undefined,
    workspaceId: SYSTEM_WORKSPACE,
    actor: { id: user?.id ?? null, label: email },
  });
  await withTransaction(own, (tx) =>
    recordRevision(tx, {
      entityType: 'SignIn',
      entityId: randomUUID(),
      workspaceId: SYSTEM_WORKSPACE,
      icpId: null,
      revision: 1,
      action: RevisionAction.CREATE,
      before: null,
      after: { email, succeeded: !!user, address },
      reason: user ? 'signed in' : 'sign-in refused',
    }),
  );
}

/** A new session token; the response also sets it as the console's HttpOnly cookie. */
async function issue(
  ctx: RequestContext,
  deps: AuthDeps,
  user: { id: string; email: string; sep: number },
): Promise<Session> {
  const token = await signToken(deps.secret, { sub: user.id, email: user.email, sep: user.sep });
  if (ctx.response) ctx.response.cookie = { token, maxAge: TOKEN_TTL_SECONDS };
  return { token, expiresIn: TOKEN_TTL_SECONDS };
}

export const authService = {
  /** Email and password to a session; every attempt that reaches the password check is an audited event. */
  async login(ctx: RequestContext, deps: AuthDeps, email: string, password: string, address: string): Promise<Session> {
    assertBounded([
      ['email', email, MAX_EMAIL_LENGTH],
      ['password', password, MAX_PASSWORD_LENGTH],
    ]);
    const normalized = email.trim().toLowerCase();
    const user = await checkPassword(deps, normalized, password, address);
    await recordSignIn(ctx, user, normalized, address);
    if (!user) throw unauthenticated('Wrong email or password');
    return issue(ctx, deps, { id: user.id, email: user.email, sep: user.session_epoch });
  },

  /** Clears the console's session cookie (an API client simply forgets its token). */
  logout(ctx: RequestContext): boolean {
    if (ctx.response) ctx.response.cookie = { clear: true };
    return true;
  },

  /**
   * The signed-in user's new password: a revision like any change (without
   * the hash), which ends every other session (the session epoch moves);
   * returns a fresh session for the caller.
   */
  async changePassword(
    ctx: RequestContext,
    deps: AuthDeps,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<Session> {
    const me = ctx.principal;
    if (me?.kind !== 'user')
      throw new ForbiddenError('Only a signed-in user has a password to change; an API key has none');
    assertBounded([
      ['currentPassword', currentPassword, MAX_PASSWORD_LENGTH],
      ['newPassword', newPassword, 200],
    ]);
    if (newPassword.length < 12) throw ValidationError.one('newPassword', 'must be at least 12 characters');
    const user = await checkPassword(deps, me.label, currentPassword, address);
    if (!user || user.id !== me.id) throw unauthenticated('The current password is wrong');
    // Hashed before the transaction: no connection is held during scrypt.
    const passwordHash = await hashPassword(newPassword);
    const sep = await withTransaction(ctx, async (tx) => {
      const existing = await userService.get(tx, me.id);
      await userService.update(
        tx,
        me.id,
        existing.revision,
        {},
        { set: { passwordHash }, reason: 'password changed by its owner' },
      );
      const [row] = await db(tx).query('SELECT icp_session_epoch($1) AS sep', [me.id]);
      return row.sep as number;
    });
    return issue(ctx, deps, { id: me.id, email: me.label, sep });
  },

  /**
   * The principal behind a request: an API key or session token in
   * `Authorization: Bearer …`, else the console's session cookie; null for an
   * anonymous request. Cached per process (dropped on any auth change,
   * through NOTIFY), so a warm request runs no SQL.
   */
  async authenticate(req: IncomingMessage, deps: AuthDeps): Promise<Principal | null> {
    const header = req.headers.authorization;
    const wanted = typeof req.headers['x-workspace'] === 'string' ? req.headers['x-workspace'] : '';
    if (!header) {
      const cookie = sessionCookieOf(req.headers);
      // An expired or ended cookie is no session: the request is anonymous (so signing in again works).
      return cookie
        ? userPrincipal(deps, cookie, wanted).catch((e: unknown) => {
            if (isDatabaseUnavailable(e)) throw e;
            return null;
          })
        : null;
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated('Send "Authorization: Bearer <session token or API key>"');
    const credential = m[1];
    if (!credential.startsWith(API_KEY_PREFIX)) return userPrincipal(deps, credential, wanted);
    const hash = hashSecretToken(credential);
    let principal = deps.cache.principal(`key:${hash}`);
    if (principal === undefined) {
      const epoch = deps.cache.principalsEpoch;
      // Before the workspace is known: a SECURITY DEFINER look-up (row-level security would hide the key).
      const [row] = await deps.ds.query('SELECT * FROM icp_auth_api_key($1)', [hash]);
      principal = row
        ? {
            kind: 'apiKey',
            id: row.id,
            label: `key:${row.name}`,
            role: row.role as Role,
            workspaceId: row.workspace_id,
            workspaceSlug: row.slug,
          }
        : null;
      deps.cache.setPrincipal(`key:${hash}`, principal, epoch);
    }
    if (!principal) throw unauthenticated('Unknown or revoked API key');
    if (wanted && wanted !== principal.workspaceSlug)
      throw forbidden(`This API key belongs to workspace "${principal.workspaceSlug}", not "${wanted}"`);
    deps.cache.noteKeyUse(principal.id);
    return principal;
  },
};

/**
 * A session token's user in the workspace wanted. The token's session epoch
 * is part of the cache key: any epoch change drops the cache (NOTIFY from
 * the triggers), so a cached entry was checked against the current epoch.
 */
async function userPrincipal(deps: AuthDeps, token: string, wanted: string): Promise<Principal> {
  const claims = await verifyToken(deps.secret, token);
  if (!claims) throw unauthenticated('The session token is invalid or has expired; sign in again');
  const key = `user:${claims.sub}:${claims.sep}:${wanted}`;
  let principal = deps.cache.principal(key);
  if (principal === undefined) {
    const epoch = deps.cache.principalsEpoch;
    const [row] = await deps.ds.query(
      'SELECT icp_session_epoch($1) AS sep, m.* FROM (SELECT 1) one LEFT JOIN icp_auth_membership($1, $2) m ON true',
      [claims.sub, wanted || null],
    );
    if (row.sep !== claims.sep)
      throw unauthenticated('This session has ended (the password or a role changed); sign in again');
    principal = row.role
      ? {
          kind: 'user',
          id: claims.sub,
          label: claims.email,
          role: row.role as Role,
          workspaceId: row.workspace_id,
          workspaceSlug: row.slug,
        }
      : null;
    deps.cache.setPrincipal(key, principal, epoch);
  }
  if (!principal)
    throw forbidden(wanted ? `You are not a member of workspace "${wanted}"` : 'You are not a member of any workspace');
  return principal;
}
