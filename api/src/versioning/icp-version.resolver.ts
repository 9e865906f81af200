import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RequestContext } from '../core/context';
import { Icp } from '../modules/icp/icp.entity';
import { IcpVersion } from './icp-version.entity';
import { icpVersionService } from './icp-version.service';
import { IcpChange, IcpDiff } from './icp-changes.types';

const ICP_ARG = { description: "The ICP's id or slug." };

@Resolver(() => IcpVersion)
export class IcpVersionResolver {
  @Mutation(() => IcpVersion, {
    description:
      'Freezes the whole ICP (tiers, personas, patterns, rules, bands, disqualifiers, triggers) as the next numbered version.',
  })
  publishIcp(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('changelog', {
      description:
        'What changed in this version, for the people who use it (required, at most 10,000 characters); also the reason in the history.',
    })
    changelog: string,
  ): Promise<IcpVersion> {
    return icpVersionService.publish(ctx, icp, changelog);
  }

  @Query(() => [IcpVersion], { description: 'Published versions of an ICP, newest first.' })
  icpVersions(@Ctx() ctx: RequestContext, @Arg('icp', ICP_ARG) icp: string): Promise<IcpVersion[]> {
    return icpVersionService.list(ctx, icp);
  }

  @Query(() => IcpVersion, { description: 'One published version (default: the latest).' })
  icpVersion(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('version', () => Int, { nullable: true, description: 'The version number; default: the latest published.' })
    version?: number,
  ): Promise<IcpVersion> {
    return icpVersionService.get(ctx, icp, version);
  }

  @Query(() => IcpDiff, {
    description:
      'From version `from` to version `to` (or to the current draft when `to` is omitted): an RFC 6902 JSON Patch that applies to the published snapshot, and what changed record by record.',
  })
  icpDiff(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('from', () => Int, { description: 'A published version number.' }) from: number,
    @Arg('to', () => Int, { nullable: true, description: 'A later published version; omitted: the draft.' })
    to?: number,
  ): Promise<IcpDiff> {
    return icpVersionService.diff(ctx, icp, from, to);
  }

  @Query(() => [IcpChange], {
    description:
      'What changed, record by record with old and new values, from version `from` (default: the latest published; everything is added when never published) to version `to` (default: the draft).',
  })
  icpChanges(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('from', () => Int, {
      nullable: true,
      description: 'A published version number; default: the latest (none when never published: everything is added).',
    })
    from?: number,
    @Arg('to', () => Int, { nullable: true, description: 'A later published version number; default: the draft.' })
    to?: number,
  ): Promise<IcpChange[]> {
    return icpVersionService.changes(ctx, icp, from, to);
  }

  @Mutation(() => Icp, {
    description: 'Brings the draft back to a published version; every part changed since gets a new revision.',
  })
  revertIcpToVersion(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('version', () => Int, { description: 'The published version number to bring the draft back to.' })
    version: number,
    @Arg('reason', () => String, {
      nullable: true,
      description: 'Why, for the history of every part it changes; default: "draft reverted to version <version>".',
    })
    reason?: string,
  ): Promise<Icp> {
    return icpVersionService.revertDraft(ctx, icp, version, reason);
  }

  @FieldResolver(() => GraphQLJSON, {
    description: 'The whole ICP as published, untyped.',
    deprecationReason:
      'Use the typed fields (icp, tiers, personas, useCasePatterns, scoringDimensions, bands, …), or snapshotText for the exact bytes. Kept at least two minor versions (README: deprecations).',
  })
  snapshot(@Root() v: IcpVersion): unknown {
    return JSON.parse(v.snapshot);
  }

  @FieldResolver(() => String, { description: 'The snapshot exactly as stored (canonical JSON), byte for byte.' })
  snapshotText(@Root() v: IcpVersion): string {
    return v.snapshot;
  }
}

@Resolver(() => Icp)
export class IcpVersionsFieldResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'The latest published version; null if never published.' })
  async latestVersion(@Root() icp: Icp, @Ctx() ctx: RequestContext): Promise<number | null> {
    return ctx.loaders.latestVersion().load(icp.id);
  }

  @FieldResolver(() => Int, {
    description:
      'Records of the draft that differ from the latest published version (every record when never published): what publishing would change. 0: nothing to publish.',
  })
  async unpublishedChanges(@Root() icp: Icp, @Ctx() ctx: RequestContext): Promise<number> {
    return (await icpVersionService.changes(ctx, icp.id)).length;
  }
}
