import { randomBytes } from 'node:crypto';
import { CrudService } from '../../core/crud.service';
import { db, deriveContext, type RequestContext } from '../../core/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import { switchWorkspace, withTransaction } from '../../db/transaction';
import { RevisionAction } from '../../core/revision.entity';
import { isUuid } from '../../core/inputs';
import type { Role } from '../../auth/roles';
import { hashSecretToken } from '../../auth/tokens';
import { AppUser } from '../user/user.entity';
import { userService } from '../user/user.service';
import { Membership } from '../membership/membership.entity';
import { membershipService } from '../membership/membership.service';
import { Invitation, InvitationStatus } from './invitation.entity';
import { InvitationInput } from './invitation.inputs';

const TOKEN_PREFIX = 'icpi_';
const VALID_DAYS = 7;
export interface PendingInvitation {
  id: string;
  workspaceSlug: string;
  workspaceName: string;
  role: Role;
  expiresAt: Date;
}

class InvitationService extends CrudService<Invitation> {
  /**
   * Invites an email to this workspace. The answer is the same whether or not
   * the email has an account anywhere: nothing about other workspaces leaks.
   */
  async invite(
    ctx: RequestContext,
    input: InvitationInput,
    reason?: string | null,
  ): Promise<{ token: string; invitation: Invitation }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + VALID_DAYS * 86_400_000);
    const set = {
      tokenHash: hashSecretToken(token),
      status: InvitationStatus.PENDING,
      expiresAt,
      invitedBy: ctx.actor.label,
    };
    const invitation = await this.create(ctx, input, { reason, set });
    delete (invitation as Partial<Invitation>).tokenHash;
    return { token, invitation };
  }

  async revoke(ctx: RequestContext, id: string, reason?: string | null): Promise<Invitation> {
    return withTransaction(ctx, async (tx) => {
      const existing = await this.get(tx, id);
      if (existing.status !== InvitationStatus.PENDING)
        throw new ConflictError(`invitation ${id} is ${existing.status.toLowerCase()}, not pending`, { id });
      return this.applyUpdate(
        tx,
        existing,
        { status: InvitationStatus.REVOKED },
        RevisionAction.UPDATE,
        reason ?? 'revoked',
      );
    });
  }

  /**
   * Joins the invitation's workspace: as the signed-in user the invitation is
   * for, or, when no account has that email, as a new account with the
   * password given. A membership and the invitation's acceptance are
   * revisions like any change.
   */
  async accept(
    ctx: RequestContext,
    token: string,
    password?: string | null,
    name?: string | null,
  ): Promise<{ workspaceSlug: string; role: Role }> {
    const [found] =
      token.startsWith(TOKEN_PREFIX) && token.length < 100
        ? await ctx.ds.query('SELECT * FROM icp_invitation_by_token($1)', [hashSecretToken(token)])
        : [];
    if (!found) throw new NotFoundError('pending invitation', 'with this token', 'token');
    return this.acceptFound(ctx, found, password, name);
  }

  /** The signed-in user's pending invitations, in any workspace (found by their account's email). */
  async mine(ctx: RequestContext): Promise<PendingInvitation[]> {
    if (ctx.principal?.kind !== 'user') return [];
    const rows: { id: string; slug: string; name: string; role: Role; expires_at: Date }[] = await db(ctx).query(
      'SELECT * FROM icp_invitations_for($1)',
      [ctx.principal.id],
    );
    return rows.map((r) => ({
      id: r.id,
      workspaceSlug: r.slug,
      workspaceName: r.name,
      role: r.role,
      expiresAt: r.expires_at,
    }));
  }

  /** Accepts one of the signed-in user's own invitations: being that email's account is the proof, no token needed. */
  async acceptMine(ctx: RequestContext, id: string): Promise<{ workspaceSlug: string; role: Role }> {
    const found =
      ctx.principal?.kind === 'user' && isUuid(id)
        ? (await db(ctx).query('SELECT * FROM icp_invitations_for($1) WHERE id = $2', [ctx.principal.id, id]))[0]
        : null;
    if (!found) throw new NotFoundError('pending invitation for you', id, 'id');
    return this.acceptFound(ctx, found);
  }

  private async acceptFound(
    ctx: RequestContext,
    found: { id: string; workspace_id: string; slug: string },
    password?: string | null,
    name?: string | null,
  ): Promise<{ workspaceSlug: string; role: Role }> {
    return withTransaction(ctx, async (tx) => {
      const inWs = await switchWorkspace(tx, found.workspace_id);
      // Locked: two acceptances of one token cannot both pass.
      const invitation = await db(inWs).findOne(Invitation, {
        where: { id: found.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invitation || invitation.status !== InvitationStatus.PENDING)
        throw new NotFoundError('pending invitation', 'with this token', 'token');
      const joined = await this.join(inWs, invitation, password, name);
      await this.applyUpdate(
        joined,
        invitation,
        { status: InvitationStatus.ACCEPTED },
        RevisionAction.UPDATE,
        'accepted',
      );
      return { workspaceSlug: found.slug, role: invitation.role };
    });
  }

  /** Adds the member; returns the context acting as them. */
  private async join(
    inWs: RequestContext,
    invitation: Invitation,
    password?: string | null,
    name?: string | null,
  ): Promise<RequestContext> {
    const principal = inWs.principal;
    if (principal?.kind === 'apiKey')
      throw new ForbiddenError('An API key cannot accept an invitation; the invited person does, signed in or not');
    const as = (user: { id: string | null }) =>
      deriveContext(inWs, { actor: { id: user.id, label: invitation.email } });
    if (principal) {
      const me = await db(inWs).findOne(AppUser, { where: { id: principal.id } });
      if (me?.email !== invitation.email)
        throw new ForbiddenError(`This invitation is for ${invitation.email}; sign in as that person to accept it`);
      if (await db(inWs).findOne(Membership, { where: { userId: me.id, workspaceId: inWs.workspaceId } })) {
        throw new ConflictError(`${me.email} is already a member of this workspace`, { id: invitation.id });
      }
      await membershipService.create(
        as(me),
        { userId: me.id, role: invitation.role },
        { reason: 'accepted an invitation' },
      );
      return as(me);
    }
    if (await db(inWs).findOne(AppUser, { where: { email: invitation.email } })) {
      throw new ForbiddenError(`Sign in as ${invitation.email} to accept this invitation`);
    }
    if (!password) throw ValidationError.one('password', 'is required to create the account this invitation is for');
    const fresh = as({ id: null });
    const user = await userService.create(
      fresh,
      { email: invitation.email, name: name ?? invitation.name, password, role: invitation.role },
      { reason: 'accepted an invitation' },
    );
    return as(user);
  }
}

export const invitationService = new InvitationService({
  entity: Invitation,
  label: 'invitation',
  input: InvitationInput,
  searchable: ['email'],
  sortable: ['email', 'createdAt'],
  defaultSort: { createdAt: 'DESC' },
  hidden: ['tokenHash'],
  beforeWrite: async (_ctx, next) => {
    next.email = String(next.email).trim().toLowerCase();
  },
});
