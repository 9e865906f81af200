import { Arg, Ctx, Field, Int, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RequestContext } from '../../core/context';
import { Icp } from '../icp/icp.entity';
import { ICP_PARTS } from '../icp/icp-parts';
import { icpFileService } from './icp-import.service';

enum IcpFileChangeAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}
registerEnumType(IcpFileChangeAction, {
  name: 'IcpFileChangeAction',
  description: 'What an import does to one record of the draft.',
  valuesConfig: {
    CREATE: { description: 'The file has a record the draft lacks: it is created.' },
    UPDATE: { description: 'Both have it and some fields differ: they are changed.' },
    DELETE: { description: 'The draft has a record the file lacks: it is deleted.' },
  },
});

/** The types an ICP file holds: the ICP and its parts, as their GraphQL type names (the values clients already read). */
const IcpFileEntity = Object.fromEntries(['Icp', ...ICP_PARTS.map((p) => p.entity.name)].map((n) => [n, n]));
registerEnumType(IcpFileEntity, {
  name: 'IcpFileEntity',
  description: 'A type of record an ICP file holds: the ICP itself or one of its parts, by GraphQL type name.',
  valuesConfig: Object.fromEntries(
    Object.keys(IcpFileEntity).map((n) => [n, { description: n === 'Icp' ? 'The ICP itself.' : `A ${n} of the ICP.` }]),
  ),
});

@ObjectType({
  description:
    'One field an import changes. `before`/`after` are values as the ICP file writes them (a persona names its tier, `position` is the place in its list); null: absent.',
})
class IcpFileFieldChange {
  @Field({ description: 'The field, as the ICP file names it.' }) field: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Its value in the draft before the import.' })
  before: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Its value after the import.' }) after: unknown;
}

@ObjectType({ description: 'One record an import creates, updates or deletes in the draft.' })
class IcpFileChange {
  @Field(() => IcpFileEntity, { description: 'The type of the record.' })
  entity: string;
  @Field({ description: 'The name it is matched by (for the ICP: its slug).' }) name: string;
  @Field(() => String, { nullable: true, description: "For a scoring rule: its dimension's name." }) parent:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Where it is in the imported file, e.g. `tiers[2]`; null for a deletion.',
  })
  path: string | null;
  @Field(() => IcpFileChangeAction, { description: 'Whether it is created, updated or deleted.' })
  action: IcpFileChangeAction;
  @Field(() => [IcpFileFieldChange], {
    description: 'Every field that differs (a creation: every field it states; a deletion: every field it had).',
  })
  fields: IcpFileFieldChange[];
}

@ObjectType({ description: 'What an import did to the draft, or (dry run) would do.' })
class IcpImportResult {
  @Field(() => Icp, {
    nullable: true,
    description: 'The ICP after the import; for a dry run, as it is (null when the import would create it).',
  })
  icp: Icp | null;
  @Field({ description: "The ICP's slug, as the file gives it." }) slug: string;
  @Field({ description: 'True when nothing was kept: the changes were computed, then rolled back.' }) dryRun: boolean;
  @Field({ description: 'True when the file creates a new ICP.' }) created: boolean;
  @Field(() => [IcpFileChange], { description: 'Empty when the file matches the draft.' }) changes: IcpFileChange[];
  @Field({ description: 'The file in canonical form: what exportIcp gives for the draft once this import is done.' })
  yaml: string;
}

@Resolver()
export class IcpFileResolver {
  @Query(() => String, {
    description:
      'The ICP as an ICP file: canonical YAML (docs/icp-file.md, JSON Schema schema/icp.schema.json), the draft unless a published `version` is given. Exporting, importing and exporting again gives the same text.',
  })
  exportIcp(
    @Ctx() ctx: RequestContext,
    @Arg('icp', { description: 'Id or slug.' }) icp: string,
    @Arg('version', () => Int, { nullable: true, description: 'A published version; omitted: the draft.' })
    version?: number,
  ): Promise<string> {
    return icpFileService.exportIcp(ctx, icp, version);
  }

  @Mutation(() => IcpImportResult, {
    description:
      "Makes the draft of the file's ICP (by its slug; created if there is none) what an ICP file says: records are matched by name and created, updated or deleted, each change a revision with the reason. All or nothing: a file with problems is refused with every problem (path, line, column) in extensions.problems and changes nothing. Publishing stays a separate step.",
  })
  importIcp(
    @Ctx() ctx: RequestContext,
    @Arg('yaml', { description: 'The text of the ICP file.' }) yaml: string,
    @Arg('reason', () => String, { nullable: true, description: 'Why, kept in every revision the import writes.' })
    reason?: string,
    @Arg('dryRun', () => Boolean, {
      nullable: true,
      description: 'Check and compute the changes, then roll them back.',
    })
    dryRun?: boolean,
  ) {
    return icpFileService.importIcp(ctx, yaml, { reason, dryRun });
  }
}
