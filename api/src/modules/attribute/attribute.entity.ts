import { Entity, Index } from 'typeorm';
import { ObjectType, registerEnumType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';

export enum AttributeType {
  INT = 'INT',
  NUMBER = 'NUMBER',
  STRING = 'STRING',
  BOOL = 'BOOL',
  STRING_LIST = 'STRING_LIST',
}
registerEnumType(AttributeType, { name: 'AttributeType', description: 'The type of an account attribute value.' });

@ObjectType({ description: 'An account attribute that rules, criteria, disqualifiers and triggers may use.' })
@Entity()
@Index(['workspaceId', 'name'], { unique: true })
export class AttributeDefinition extends TenantRecord {
  @Prop.text({ description: 'The name used in expressions: account.<name>.' }) name: string;
  @Prop.enum(AttributeType) type: AttributeType;
  @Prop.text({ nullable: true }) description: string | null;
  @Prop.textList({ description: 'When not empty, the only values allowed (for lists: for each item).' })
  allowedValues: string[];
  @Prop.text({ nullable: true, description: 'e.g. USD, people, per month.' }) unit: string | null;
}
