import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { ChangeAction, FieldChange, RecordChange } from './snapshot';

export enum IcpChangeAction {
  ADDED = 'ADDED',
  CHANGED = 'CHANGED',
  REMOVED = 'REMOVED',
}
registerEnumType(IcpChangeAction, {
  name: 'IcpChangeAction',
  description: 'What happened to a record between two states of an ICP.',
});

@ObjectType({ description: 'One field of a record that differs: its value before and after (null: absent).' })
export class IcpFieldChange implements FieldChange {
  @Field({ description: 'The field, as the GraphQL type of the record names it.' }) field: string;
  @Field(() => GraphQLJSON, { nullable: true }) before: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after: unknown;
}

@ObjectType({
  description:
    'One record that differs between two states of an ICP (a published version, or the draft), named as people know it. Per result: it has no id of its own.',
})
export class IcpChange implements RecordChange {
  @Field({ description: '"Icp", "Attribute" (the catalogue the version froze), or a part type: "Tier", "Persona", …' })
  entityType: string;
  @Field({ description: "The record's id (an attribute's name for the catalogue)." }) recordId: string;
  @Field({ description: 'Its name (or title, or slug).' }) name: string;
  @Field(() => IcpChangeAction) action: ChangeAction;
  @Field(() => [IcpFieldChange], { description: 'The fields that differ; every field of an added or removed record.' })
  fields: IcpFieldChange[];
}
