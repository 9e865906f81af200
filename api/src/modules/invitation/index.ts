import { Invitation } from './invitation.entity';
import { InvitationReadResolver, InvitationResolver } from './invitation.resolver';

export { Invitation } from './invitation.entity';
export { invitationService } from './invitation.service';
export const invitationModule = { entities: [Invitation], resolvers: [InvitationReadResolver, InvitationResolver] };
