import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import type { AppCache } from '../fit-score/app-cache';
import { deriveContext, type RequestContext } from '../graphql/context';
import { db, switchWorkspace, withTransaction } from '../db/transaction';
import { recordRevision } from '../versioning/revision-writer';
import { RevisionAction } from '../versioning/revision.entity';
import { AppUser } from '../modules/user/user.entity';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { API_KEY_PREFIX, hashApiKey, signToken, TOKEN_TTL_SECONDS, verifyToken } from './tokens';
import type { Role } from './roles';

/** Global events (sign-ins) have no workspace: they are chained under this id. */
export const SYSTEM_WORKSPACE = '00000000-0000-0000-0000-000000000000';

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

/**
 * Failed sign-ins per account and per address, in a sliding window. Per
 * process: behind a load balancer each process counts its own share.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly perAccount = 5, private readonly perAddress = 20, private readonly windowMs = 15 * 60_000) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(key, list);
    return list;
  }
  check(email: string, address: string): void {
    const now = Date.now();
    if (this.recent(`a:${email}`, now).length >= this.perAccount || this.recent(`ip:${address}`, now).length >= this.perAddress) {
      throw new GraphQLError('Too many failed sign-ins; wait 15 minutes and try again', { extensions: { code: 'TOO_MANY_REQUESTS', http: { status: 429 } } });
    }
  }
  fail(email: string, address: string): void {
    const now = Date.now();
    this.recent(`a:${email}`, now).push(now);
    this.recent(`ip:${address}`, now).push(now);
    if (this.failures.size > 100_000) this.failures.clear();
  }
  succeed(email: string): void {
    this.failures.delete(`a:${email}`);
  }
}

export interface AuthDeps {
  ds: DataSource;
  cache: AppCache;
  secret: Uint8Array;
  limiter: LoginLimiter;
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomUUID()));

export const authService = {
  /** Email and password to a session token; every attempt, good or bad, is an audited event. */
  async login(ctx: RequestContext, deps: AuthDeps, email: string, password: string, address: string): Promise<{ token: string; expiresIn: number }> {
    const normalized = email.trim().toLowerCase();
    deps.limiter.check(normalized, address);
    // The one read of a password hash (select: false everywhere else).
    const user = await db(ctx).findOne(AppUser, { where: { email: normalized }, select: { id: true, email: true, passwordHash: true } });
    // An unknown email costs the same scrypt as a known one: the answer's timing does not tell which emails exist.
    const ok = (await verifyPassword(password, user?.passwordHash ?? (await dummyHash()))) && !!user;
    await withTransaction(await switchWorkspace(ctx, SYSTEM_WORKSPACE), (tx) =>
      recordRevision(
        deriveContext(tx, { actor: { id: user?.id ?? null, label: normalized } }),
        {
          entityType: 'SignIn',
          entityId: randomUUID(),
          workspaceId: SYSTEM_WORKSPACE,
          icpId: null,
          revision: 1,
          action: RevisionAction.CREATE,
          before: null,
          after: { email: normalized, succeeded: ok, address },
          reason: ok ? 'signed in' : 'sign-in refused',
        },
      ),
    );
    if (!user || !ok) {
      deps.limiter.fail(normalized, address);
      throw unauthenticated('Wrong email or password');
    }
    deps.limiter.succeed(normalized);
    return { token: await signToken(deps.secret, { sub: user.id, email: user.email }), expiresIn: TOKEN_TTL_SECONDS };
  },

  /**
   * The principal behind a request: a session token or an API key in
   * `Authorization: Bearer …`; null for an anonymous request. Cached per
   * process (dropped on any auth change, through NOTIFY), so a warm request
   * runs no SQL.
   */
  async authenticate(req: IncomingMessage, deps: AuthDeps): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated('Send "Authorization: Bearer <session token or API key>"');
    const credential = m[1];
    const wanted = typeof req.headers['x-workspace'] === 'string' ? req.headers['x-workspace'] : '';
    if (credential.startsWith(API_KEY_PREFIX)) {
      const hash = hashApiKey(credential);
      let principal = deps.cache.principal(`key:${hash}`);
      if (principal === undefined) {
        const epoch = deps.cache.principalsEpoch;
        // Before the workspace is known: a SECURITY DEFINER look-up (row-level security would hide the key).
        const [row] = await deps.ds.query('SELECT * FROM icp_auth_api_key($1)', [hash]);
        principal = row ? { kind: 'apiKey', id: row.id, label: `key:${row.name}`, role: row.role as Role, workspaceId: row.workspace_id, workspaceSlug: row.slug } : null;
        deps.cache.setPrincipal(`key:${hash}`, principal, epoch);
      }
      if (!principal) throw unauthenticated('Unknown or revoked API key');
      if (wanted && wanted !== principal.workspaceSlug) throw forbidden(`This API key belongs to workspace "${principal.workspaceSlug}", not "${wanted}"`);
      deps.cache.noteKeyUse(principal.id);
      return principal;
    }
    const claims = await verifyToken(deps.secret, credential);
    if (!claims) throw unauthenticated('The session token is invalid or has expired; sign in again');
    const key = `user:${claims.sub}:${wanted}`;
    let principal = deps.cache.principal(key);
    if (principal === undefined) {
      const epoch = deps.cache.principalsEpoch;
      const [row] = await deps.ds.query('SELECT * FROM icp_auth_membership($1, $2)', [claims.sub, wanted || null]);
      principal = row ? { kind: 'user', id: claims.sub, label: claims.email, role: row.role as Role, workspaceId: row.workspace_id, workspaceSlug: row.slug } : null;
      deps.cache.setPrincipal(key, principal, epoch);
    }
    if (!principal) throw forbidden(wanted ? `You are not a member of workspace "${wanted}"` : 'You are not a member of any workspace');
    return principal;
  },
};
