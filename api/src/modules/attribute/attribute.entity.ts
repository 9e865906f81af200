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
registerEnumType(AttributeType, {
  name: 'AttributeType',
  description: 'The type of an account attribute value.',
  valuesConfig: {
    INT: { description: 'A whole number, e.g. employees.' },
    NUMBER: { description: 'Any number, e.g. annual revenue.' },
    STRING: { description: 'Text, e.g. industry.' },
    BOOL: { description: 'true or false.' },
    STRING_LIST: { description: 'A list of texts, e.g. signals.' },
  },
});

@ObjectType({ description: 'An account attribute that rules, criteria, disqualifiers and triggers may use.' })
@Entity()
@Index(['workspaceId', 'name'], { unique: true })
export class AttributeDefinition extends TenantRecord {
  @Prop.text({ description: 'The name used in expressions: account.<name>.' }) name: string;
  @Prop.enum(AttributeType, {
    description: 'The type of its values, which expressions are checked against; set on creation.',
  })
  type: AttributeType;
  @Prop.text({ nullable: true, description: 'What the attribute means and where its value comes from.' }) description:
    string | null;
  @Prop.textList({ description: 'When not empty, the only values allowed (for lists: for each item).' })
  allowedValues: string[];
  @Prop.text({ nullable: true, description: 'The unit of its values, e.g. USD, people, per month.' }) unit:
    string | null;
}
