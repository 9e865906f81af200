import { Arg, Args, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext, ServiceRegistry } from '../core/context';
import { pageArgs, type PageArgs } from '../core/pagination';
import { partTypes } from '../modules/icp/icp-parts';
import { historyEntityTypes, historyService, MAX_EXPORT_ROWS, MAX_HISTORY_PAGE } from './history.service';
import { Revision, RevisionAction } from '../core/revision.entity';

/** What an entity type's changes are, for its value in the filter's enum. */
function entityTypeDescription(type: string): string {
  if (type === 'Icp') return 'Changes to ICPs themselves (not their parts).';
  if (type === 'IcpVersion') return 'Publications of ICP versions (action PUBLISH).';
  return partTypes().includes(type) ? `Changes to ${type} records, parts of an ICP.` : `Changes to ${type} records.`;
}

/** The history's filter, whose entity type is an enum of the types the registry's history holds. */
function historyFilterType(registry: ServiceRegistry) {
  const types = historyEntityTypes(registry);
  const HistoryEntityType = Object.fromEntries(types.map((n) => [n, n]));
  registerEnumType(HistoryEntityType, {
    name: 'HistoryEntityType',
    description: 'A type of record the history holds, by its GraphQL type name (as `Revision.entityType` gives it).',
    valuesConfig: Object.fromEntries(types.map((n) => [n, { description: entityTypeDescription(n) }])),
  });

  @InputType({ description: 'Which revisions to read: every condition given must hold (none: the whole history).' })
  class HistoryFilter {
    @Field(() => HistoryEntityType, { nullable: true, description: 'Changes to records of this type only.' })
    entityType?: string;
    @Field(() => ID, { nullable: true, description: 'Changes to this record only (any type).' }) entityId?: string;
    @Field(() => ID, { nullable: true, description: 'Every change to an ICP and its parts.' }) icpId?: string;
    @Field(() => ID, { nullable: true, description: 'Changes by this user or API key (its id).' }) actorId?: string;
    @Field({ nullable: true, description: "A part of the actor's label, any case." }) actor?: string;
    @Field(() => [RevisionAction], { nullable: true, description: 'Changes with one of these actions.' })
    actions?: RevisionAction[];
    @Field({ nullable: true, description: 'Changes at or after this time.' }) from?: Date;
    @Field({ nullable: true, description: 'Changes at or before this time.' }) to?: Date;
  }
  return HistoryFilter;
}

export enum ExportFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'How exportHistory writes the revisions (one per line or element, oldest first).',
  valuesConfig: {
    CSV: {
      description:
        "A header row, then a row per revision: every cell quoted, CRLF line ends, before/after/patch as JSON text, a cell a spreadsheet would run as a formula prefixed with '.",
    },
    JSON: { description: 'A JSON array of objects, one per revision, keyed as the CSV header.' },
  },
});

export enum HistoryProblemKind {
  HASH = 'HASH',
  LINK = 'LINK',
  MISSING = 'MISSING',
  SIGNATURE = 'SIGNATURE',
  CHECKPOINT = 'CHECKPOINT',
}
registerEnumType(HistoryProblemKind, {
  name: 'HistoryProblemKind',
  description: 'Why verification failed.',
  valuesConfig: {
    HASH: { description: "A revision's content does not match its hash." },
    LINK: { description: 'A revision does not link to the one before.' },
    MISSING: { description: 'A revision is missing (removed, or the tail truncated).' },
    SIGNATURE: { description: 'A revision carries no valid signature by a listed key.' },
    CHECKPOINT: { description: "The kept checkpoint's signature does not hold, or the chain no longer has its head." },
  },
});

// The history pages by up to 1000 revisions (an audit reads long runs of it); other lists by up to 500.
const HistoryPageArgs = pageArgs(MAX_HISTORY_PAGE);

const CHECKPOINT_FIELDS = {
  workspace: 'The workspace whose chain it is (the system chain of sign-ins has the zero UUID).',
  chainIndex: 'The index of the head revision; 0 for an empty chain.',
  headHash: 'The hash of the head revision (the genesis hash, 64 zeros, for an empty chain).',
  at: 'When it was signed.',
  keyId: 'The key that signed it.',
  signature:
    'Ed25519 signature (base64) of "icp-checkpoint/v1\\n<workspace>\\n<chainIndex>\\n<headHash>\\n<at, ISO 8601>\\n<keyId>".',
};

@ObjectType({
  description:
    "A signed statement of the chain's head at a time. Kept outside the system (its file is this object as JSON), it later proves that nothing up to it was rewritten.",
})
export class HistoryCheckpoint {
  @Field(() => ID, { description: CHECKPOINT_FIELDS.workspace }) workspace: string;
  @Field(() => Int, { description: CHECKPOINT_FIELDS.chainIndex }) chainIndex: number;
  @Field({ description: CHECKPOINT_FIELDS.headHash }) headHash: string;
  @Field({ description: CHECKPOINT_FIELDS.at }) at: Date;
  @Field({ description: CHECKPOINT_FIELDS.keyId }) keyId: string;
  @Field({ description: CHECKPOINT_FIELDS.signature }) signature: string;
}

@InputType({ description: 'A kept checkpoint, exactly as historyCheckpoint returned it.' })
export class HistoryCheckpointInput {
  @Field(() => ID, { description: CHECKPOINT_FIELDS.workspace }) workspace: string;
  @Field(() => Int, { description: CHECKPOINT_FIELDS.chainIndex }) chainIndex: number;
  @Field({ description: CHECKPOINT_FIELDS.headHash }) headHash: string;
  @Field({ description: CHECKPOINT_FIELDS.at }) at: Date;
  @Field({ description: CHECKPOINT_FIELDS.keyId }) keyId: string;
  @Field({ description: CHECKPOINT_FIELDS.signature }) signature: string;
}

@ObjectType({ description: "A public key of the history: the current signing key's, or a retired one's." })
export class HistoryPublicKey {
  @Field({ description: 'The key\'s id, as `Revision.keyId` and checkpoints name it ("ed25519:…").' }) keyId: string;
  @Field({
    description: 'The Ed25519 public key, 32 bytes in base64url (what HISTORY_PUBLIC_KEYS and --public-key take).',
  })
  publicKey: string;
  @Field({ description: 'True for the key new revisions are signed with.' }) current: boolean;
  @Field(() => Date, { nullable: true, description: 'When it was retired: it signs nothing made after.' })
  retiredAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Its first revision in this workspace.' })
  firstSignedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Its last revision in this workspace.' })
  lastSignedAt: Date | null;
  @Field(() => Int, { description: 'Revisions of this workspace it signed.' }) revisions: number;
}

@ObjectType({ description: "The result of verifying a workspace's history: whether it holds and where it breaks." })
export class HistoryVerification {
  @Field({
    description:
      'True when every revision matches its hash, links to the one before and carries a valid signature by a listed key.',
  })
  valid: boolean;
  @Field(() => Int, { description: 'Revisions checked before the result was known.' }) checked: number;
  @Field(() => Revision, { nullable: true, description: 'The first revision that fails a check; null when valid.' })
  brokenAt: Revision | null;
  @Field(() => String, { nullable: true, description: 'What is wrong, in words; null when valid.' })
  problem: string | null;
  @Field(() => Int, {
    description:
      'Revisions accepted without a signature: those written before signing began (none in a newer workspace).',
  })
  unsigned: number;
  @Field(() => HistoryProblemKind, { nullable: true, description: 'Why it failed; null when valid.' })
  problemKind: HistoryProblemKind | null;
  @Field(() => Date, { nullable: true, description: "The checkpoint's time, when one was given." })
  since: Date | null;
  @Field(() => Int, { description: "The first chain index checked: 1, or the checkpoint's index." })
  fromIndex: number;
}

/** The history's queries, with a filter typed by the registry's entity types. */
export function historyResolver(registry: ServiceRegistry): Function {
  const HistoryFilter = historyFilterType(registry);
  type HistoryFilter = InstanceType<typeof HistoryFilter>;
  const filterArg = (description: string) => ({ nullable: true, description });

  @Resolver()
  class HistoryResolver {
    @Query(() => [Revision], { description: 'The history of the workspace, newest first.' })
    history(
      @Ctx() ctx: RequestContext,
      @Arg('filter', () => HistoryFilter, filterArg('Which revisions; none: all of them.')) filter?: HistoryFilter,
      @Args(() => HistoryPageArgs) page?: PageArgs,
    ): Promise<Revision[]> {
      return historyService.list(ctx, filter ?? {}, page);
    }

    @Query(() => [String], {
      description:
        'The entity types the history holds, for a filter: an ICP, its versions and its parts, then the rest.',
    })
    historyEntityTypes(@Ctx() ctx: RequestContext): string[] {
      return historyEntityTypes(ctx.registry);
    }

    @Query(() => Int, { description: 'How many revisions the filter matches (for paging `history`).' })
    historyCount(
      @Ctx() ctx: RequestContext,
      @Arg('filter', () => HistoryFilter, filterArg('Which revisions; none: all of them.')) filter?: HistoryFilter,
    ): Promise<number> {
      return historyService.count(ctx, filter ?? {});
    }

    @Query(() => Revision, {
      description: "A record as it was: give its revision number or a time. The state is the revision's `after`.",
    })
    recordAsOf(
      @Ctx() ctx: RequestContext,
      @Arg('id', () => ID, { description: "The record's id (it may since have been deleted)." }) id: string,
      @Arg('revision', () => Int, { nullable: true, description: 'Its revision number; give this or `at`.' })
      revision?: number,
      @Arg('at', () => Date, {
        nullable: true,
        description: 'A time: its last revision at or before it; or `revision`.',
      })
      at?: Date,
    ): Promise<Revision> {
      return historyService.asOf(ctx, id, { revision, time: at });
    }

    @Query(() => HistoryVerification, {
      description:
        "Recomputes the workspace's hash chain, checks every revision's signature, and says whether it holds, and where it breaks.",
    })
    async verifyHistory(
      @Ctx() ctx: RequestContext,
      @Arg('checkpoint', () => HistoryCheckpointInput, {
        nullable: true,
        description: 'A kept checkpoint: then only what came after it is checked, and that it still holds.',
      })
      checkpoint?: HistoryCheckpointInput,
    ): Promise<HistoryVerification> {
      const { kind, ...v } = await historyService.verify(ctx, checkpoint);
      return { ...v, problemKind: kind as HistoryProblemKind | null };
    }

    @Query(() => HistoryCheckpoint, { description: "The workspace's head now, signed now: keep it to verify later." })
    historyCheckpoint(@Ctx() ctx: RequestContext): Promise<HistoryCheckpoint> {
      return historyService.checkpoint(ctx);
    }

    @Query(() => [HistoryPublicKey], {
      description: 'The public keys the history trusts (current first), with when each signed in this workspace.',
    })
    historyPublicKeys(@Ctx() ctx: RequestContext): Promise<HistoryPublicKey[]> {
      return historyService.publicKeys(ctx);
    }

    @Query(() => String, { description: 'The filtered history, oldest first, as CSV or JSON text.' })
    exportHistory(
      @Ctx() ctx: RequestContext,
      @Arg('format', () => ExportFormat, { description: 'CSV or JSON.' }) format: ExportFormat,
      @Arg(
        'filter',
        () => HistoryFilter,
        filterArg(`Which revisions (at most ${MAX_EXPORT_ROWS.toLocaleString('en')}); none: all of them.`),
      )
      filter?: HistoryFilter,
    ): Promise<string> {
      return historyService.export(ctx, filter ?? {}, format);
    }
  }
  return HistoryResolver;
}
