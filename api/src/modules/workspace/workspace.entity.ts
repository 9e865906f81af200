import { Entity, Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { BaseRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';

@ObjectType({ description: 'A company whose ICPs these are; an agency or MSP manages several.' })
@Entity()
@Index(['slug'], { unique: true })
export class Workspace extends BaseRecord {
  @Prop.text() slug: string;
  @Prop.text() name: string;
  @Prop.text({ nullable: true }) description: string | null;
}
