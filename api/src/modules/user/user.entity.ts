import { Column, Entity, Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { BaseRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';

/** A person who signs in. Users are global; what they may do is given per workspace by memberships. */
@ObjectType({ description: 'A person who signs in to the console or the API.' })
@Entity({ name: 'app_user' })
@Index(['email'], { unique: true })
export class AppUser extends BaseRecord {
  @Prop.text({ description: 'Lower-case; the sign-in name.' }) email: string;
  @Prop.text({ nullable: true, description: 'Their display name; null: the email is shown.' }) name: string | null;
  /** scrypt hash; never in the API, never in history, never loaded outside sign-in (select: false). */
  @Column('text', { select: false }) passwordHash: string;
}
