import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { readResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { entityInputs } from '../../core/inputs';
import { Role } from '../../auth/roles';
import { Invitation } from './invitation.entity';
import { InvitationFilter, InvitationInput } from './invitation.inputs';
import { invitationService } from './invitation.service';

export const InvitationReadResolver = readResolver({
  type: Invitation,
  plural: 'invitations',
  filter: InvitationFilter,
  service: invitationService,
});

@ObjectType({ description: 'A new invitation and its token, shown this once.' })
class IssuedInvitation {
  @Field({
    description: 'The token: shown this once, never stored. Pass it to the person invited; they accept with it.',
  })
  token: string;
  @Field(() => Invitation, { description: 'The invitation as stored (without its token).' }) invitation: Invitation;
}

@ObjectType({ description: 'The workspace an accepted invitation joined, and the role there.' })
class AcceptedInvitation {
  @Field({ description: 'The workspace joined (send it as x-workspace).' }) workspaceSlug: string;
  @Field(() => Role, { description: 'The role the user now has there.' }) role: Role;
}

@ObjectType({ description: 'An invitation waiting for the signed-in user.' })
class PendingInvitation {
  @Field(() => ID, { description: 'The invitation, to accept with acceptMyInvitation.' }) id: string;
  @Field({ description: 'The slug of the workspace it is for.' }) workspaceSlug: string;
  @Field({ description: 'The name of the workspace it is for.' }) workspaceName: string;
  @Field(() => Role, { description: 'The role it gives there.' }) role: Role;
  @Field({ description: 'After this it can no longer be accepted.' }) expiresAt: Date;
}

const REASON = { nullable: true, description: "Why, in the admin's words; kept in the history." };

/** Made once, as the schema is declared (a type made while the schema is built would be missing from it). */
const CreateInvitationInput = entityInputs(Invitation, InvitationInput, { label: 'invitation' }).create;

@Resolver(() => Invitation)
export class InvitationResolver {
  @Mutation(() => IssuedInvitation, {
    description: 'Invites a person by email; the same answer whether or not they have an account anywhere.',
  })
  inviteUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateInvitationInput, { description: 'Who is invited, and with which role.' })
    input: InvitationInput,
    @Arg('reason', () => String, REASON) reason?: string,
  ) {
    return invitationService.invite(ctx, input, reason);
  }

  @Mutation(() => Invitation, { description: 'Withdraws a pending invitation; its token no longer works.' })
  revokeInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The pending invitation.' }) id: string,
    @Arg('reason', () => String, REASON) reason?: string,
  ) {
    return invitationService.revoke(ctx, id, reason);
  }

  @Query(() => [PendingInvitation], { description: "The signed-in user's pending invitations, in any workspace." })
  myInvitations(@Ctx() ctx: RequestContext) {
    return invitationService.mine(ctx);
  }

  @Mutation(() => AcceptedInvitation, {
    description: 'Accepts one of the signed-in user’s own pending invitations (see myInvitations).',
  })
  acceptMyInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'One of myInvitations.' }) id: string,
  ) {
    return invitationService.acceptMine(ctx, id);
  }

  @Mutation(() => AcceptedInvitation, {
    description:
      'Joins the workspace of an invitation: signed in as the person invited, or, for an email without an account, creating it with the password given.',
  })
  acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('token', { description: 'The token the admin passed on.' }) token: string,
    @Arg('password', () => String, {
      nullable: true,
      description: 'For a new account: its password (12 characters or more); ignored when signed in.',
    })
    password?: string,
    @Arg('name', () => String, { nullable: true, description: 'For a new account: the display name.' }) name?: string,
  ) {
    return invitationService.accept(ctx, token, password, name);
  }
}
