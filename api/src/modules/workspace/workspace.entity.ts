import { Entity, Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { BaseRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';

@ObjectType({ description: 'A company whose ICPs these are; an agency or MSP manages several.' })
@Entity()
@Index(['slug'], { unique: true })
export class Workspace extends BaseRecord {
  @Prop.text({ description: 'Its short name, sent as the x-workspace header to act in it; unique.' }) slug: string;
  @Prop.text({ description: "Its display name, e.g. the company's name." }) name: string;
  @Prop.text({ nullable: true, description: 'What this workspace is for.' }) description: string | null;
}
