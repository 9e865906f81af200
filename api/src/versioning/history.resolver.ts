import { Arg, Args, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { PageArgs } from '../core/pagination';
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
  @Field() keyId: string;
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
  @Field(() => HistoryProblemKind, { nullable: true, description: 'Why it failed; null when valid.' })
  problemKind: HistoryProblemKind | null;
  @Field(() => Date, { nullable: true, description: "The checkpoint's time, when one was given." })
  since: Date | null;
  @Field(() => Int, { description: "The first chain index checked: 1, or the checkpoint's index." })
  fromIndex: number;
}

@Resolver()
export class HistoryResolver {
  @Query(() => [Revision], { description: 'The history of the workspace, newest first.' })
  history(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => HistoryFilter, { nullable: true }) filter?: HistoryFilter,
    @Args(() => PageArgs) page?: PageArgs,
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
    @Arg('format', () => ExportFormat) format: ExportFormat,
    @Arg('filter', () => HistoryFilter, { nullable: true }) filter?: HistoryFilter,
  ): Promise<string> {
    return historyService.export(ctx, filter ?? {}, format);
  }
}
