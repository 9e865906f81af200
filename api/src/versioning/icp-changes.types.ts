import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
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
  valuesConfig: {
    ADDED: { description: 'The later state has it, the earlier not.' },
    CHANGED: { description: 'Both have it, and some of its fields differ.' },
    REMOVED: { description: 'The earlier state has it, the later not.' },
  },
});

@ObjectType({ description: 'One field of a record that differs: its value before and after (null: absent).' })
export class IcpFieldChange implements FieldChange {
  @Field({ description: 'The field, as the GraphQL type of the record names it.' }) field: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Its value before (null: absent).' }) before: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Its value after (null: absent).' }) after: unknown;
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
  @Field(() => IcpChangeAction, { description: 'Added, changed or removed.' }) action: ChangeAction;
  @Field(() => [IcpFieldChange], { description: 'The fields that differ; every field of an added or removed record.' })
  fields: IcpFieldChange[];
}

@ObjectType({
  description:
    'One operation of an RFC 6902 JSON Patch, as the RFC writes it: send `{ op, path, from, value }` to any JSON Patch library.',
})
export class JsonPatchOperation {
  // A string, not an enum: RFC 6902 names operations in lower case, and a client applies them as they come.
  @Field({ description: 'The RFC 6902 operation: "add", "remove", "replace", "move", "copy" or "test".' }) op: string;
  @Field({ description: 'A JSON Pointer (RFC 6901) into the document, e.g. "/tiers/2/name": list items by index.' })
  path: string;
  @Field(() => String, { nullable: true, description: 'For "move" and "copy": the JSON Pointer read from.' })
  from?: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'For "add", "replace" and "test": the value.' })
  value?: unknown;
}

@ObjectType({
  description:
    'How a published version became another (or the draft): a JSON Patch that applies to the published snapshot, and the same change record by record for people. Per result: it has no id.',
})
export class IcpDiff {
  @Field(() => Int, { description: 'The version compared from.' }) from: number;
  @Field(() => Int, { nullable: true, description: 'The version compared to; null: the current draft.' })
  to: number | null;
  @Field(() => [JsonPatchOperation], {
    description:
      'RFC 6902 operations that turn `IcpVersion.snapshot` of `from` into that of `to` (or the draft as it would be published), byte for byte as JSON: applied in order with any JSON Patch library.',
  })
  patch: JsonPatchOperation[];
  @Field(() => [IcpChange], {
    description: 'What changed, record by record, with old and new values (bookkeeping such as revisions left out).',
  })
  changes: IcpChange[];
}
