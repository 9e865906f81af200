import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { PageInput } from '../core/pagination';
import { historyEntityTypes, historyService } from './history.service';
import { Revision, RevisionAction } from '../core/revision.entity';

@InputType()
export class HistoryFilter {
  @Field({ nullable: true, description: 'e.g. "Persona", "Tier", "IcpVersion".' }) entityType?: string;
  @Field(() => ID, { nullable: true }) entityId?: string;
  @Field(() => ID, { nullable: true, description: 'Every change to an ICP and its parts.' }) icpId?: string;
  @Field(() => ID, { nullable: true }) actorId?: string;
  @Field({ nullable: true, description: "A part of the actor's label, any case." }) actor?: string;
  @Field(() => [RevisionAction], { nullable: true }) actions?: RevisionAction[];
  @Field({ nullable: true }) from?: Date;
  @Field({ nullable: true }) to?: Date;
}

export enum ExportFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}
registerEnumType(ExportFormat, { name: 'ExportFormat' });

@ObjectType()
export class HistoryVerification {
  @Field({
    description:
      'True when every revision matches its hash, links to the one before and carries a valid signature by a listed key.',
  })
  valid: boolean;
  @Field(() => Int, { description: 'Revisions checked before the result was known.' }) checked: number;
  @Field(() => Revision, { nullable: true }) brokenAt: Revision | null;
  @Field(() => String, { nullable: true }) problem: string | null;
  @Field(() => Int, {
    description:
      'Revisions accepted without a signature: those written before signing began (none in a newer workspace).',
  })
  unsigned: number;
}

@Resolver()
export class HistoryResolver {
  @Query(() => [Revision], { description: 'The history of the workspace, newest first.' })
  history(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => HistoryFilter, { nullable: true }) filter?: HistoryFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Revision[]> {
    return historyService.list(ctx, filter ?? {}, page?.offset ?? 0, page?.limit ?? 50);
  }

  @Query(() => [String], {
    description: 'The entity types the history holds, for a filter: an ICP, its versions and its parts, then the rest.',
  })
  historyEntityTypes(@Ctx() ctx: RequestContext): string[] {
    return historyEntityTypes(ctx.registry);
  }

  @Query(() => Int)
  historyCount(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => HistoryFilter, { nullable: true }) filter?: HistoryFilter,
  ): Promise<number> {
    return historyService.count(ctx, filter ?? {});
  }

  @Query(() => Revision, {
    description: "A record as it was: give its revision number or a time. The state is the revision's `after`.",
  })
  recordAsOf(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('revision', () => Int, { nullable: true }) revision?: number,
    @Arg('at', () => Date, { nullable: true }) at?: Date,
  ): Promise<Revision> {
    return historyService.asOf(ctx, id, { revision, time: at });
  }

  @Query(() => HistoryVerification, {
    description:
      "Recomputes the workspace's hash chain, checks every revision's signature, and says whether it holds, and where it breaks.",
  })
  verifyHistory(@Ctx() ctx: RequestContext): Promise<HistoryVerification> {
    return historyService.verify(ctx);
  }

  @Query(() => String, { description: 'The filtered history, oldest first, as CSV or JSON text.' })
  exportHistory(
    @Ctx() ctx: RequestContext,
    @Arg('format', () => ExportFormat) format: ExportFormat,
    @Arg('filter', () => HistoryFilter, { nullable: true }) filter?: HistoryFilter,
  ): Promise<string> {
    return historyService.export(ctx, filter ?? {}, format);
  }
}
