import { Entity, Unique } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { Role } from '../../auth/roles';

/** A user's role in one workspace. Changing it is an audited change like any other. */
@ObjectType({ description: "A user's role in a workspace." })
@Entity()
@Unique('uq_membership_workspace_id_user_id', ['workspaceId', 'userId'])
export class Membership extends TenantRecord {
  @Prop.id({
    references: 'AppUser',
    description: 'The user; set on creation (a membership never moves to another user).',
  })
  userId: string;
  @Prop.enum(Role, { description: 'What the user may do in this workspace.' }) role: Role;
}
