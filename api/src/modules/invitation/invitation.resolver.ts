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

@ObjectType()
class IssuedInvitation {
  @Field({
    description: 'The token: shown this once, never stored. Pass it to the person invited; they accept with it.',
  })
  token: string;
  @Field(() => Invitation) invitation: Invitation;
}

@ObjectType()
class AcceptedInvitation {
  @Field({ description: 'The workspace joined (send it as x-workspace).' }) workspaceSlug: string;
  @Field(() => Role) role: Role;
}

@ObjectType({ description: 'An invitation waiting for the signed-in user.' })
class PendingInvitation {
  @Field(() => ID) id: string;
  @Field() workspaceSlug: string;
  @Field() workspaceName: string;
  @Field(() => Role) role: Role;
  @Field() expiresAt: Date;
}

const REASON = { nullable: true, description: "Why, in the admin's words; kept in the history." };

/** Made once, as the schema is declared (a type made while the schema is built would be missing from it). */
const CreateInvitationInput = entityInputs('Invitation', InvitationInput, { label: 'invitation' }).create;

@Resolver(() => Invitation)
export class InvitationResolver {
  @Mutation(() => IssuedInvitation, {
    description: 'Invites a person by email; the same answer whether or not they have an account anywhere.',
  })
  inviteUser(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateInvitationInput) input: InvitationInput,
    @Arg('reason', () => String, REASON) reason?: string,
  ) {
    return invitationService.invite(ctx, input, reason);
  }

  @Mutation(() => Invitation, { description: 'Withdraws a pending invitation; its token no longer works.' })
  revokeInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
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
  acceptMyInvitation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return invitationService.acceptMine(ctx, id);
  }

  @Mutation(() => AcceptedInvitation, {
    description:
      'Joins the workspace of an invitation: signed in as the person invited, or, for an email without an account, creating it with the password given.',
  })
  acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('token') token: string,
    @Arg('password', () => String, { nullable: true }) password?: string,
    @Arg('name', () => String, { nullable: true }) name?: string,
  ) {
    return invitationService.accept(ctx, token, password, name);
  }
}
