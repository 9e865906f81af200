import { Invitation } from './invitation.entity';
import { InvitationReadResolver, InvitationResolver } from './invitation.resolver';
import { invitationService } from './invitation.service';

export { Invitation } from './invitation.entity';
export { invitationService } from './invitation.service';
export const invitationModule = {
  entities: [Invitation],
  services: [invitationService],
  resolvers: [InvitationReadResolver, InvitationResolver],
};
