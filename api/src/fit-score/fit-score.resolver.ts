import type { GraphQLFieldResolver } from 'graphql';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../core/context';
import type { FitScore as Score } from '../scoring-engine/engine';
import { publishedList, publishedType, type VersionScope } from '../versioning/published';
import { fitScoreService } from './fit-score.service';
import { AccountInput, FitScore } from './fit-score.types';

const scopeOf = (s: Score): VersionScope => ({ icpId: s.icpId, version: s.icpVersion });

/** The arguments the fit-score queries share (the fit-score contract of docs/DOMAIN.md). */
const ICP_ARG = { description: "The ICP's id or slug." };
const VERSION_ARG = {
  nullable: true,
  description: 'A published version number; default: the latest (an ICP never published cannot be scored).',
};

@Resolver(() => FitScore)
export class FitScoreResolver {
  @Query(() => FitScore, {
    description: 'The fit of one account, by the latest published version of the ICP or the one asked for.',
  })
  fitScore(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('account', () => AccountInput, { description: 'The account: its key, name and attributes.' })
    account: AccountInput,
    @Arg('version', () => Int, VERSION_ARG) version?: number,
  ) {
    return fitScoreService.score(ctx, icp, account, version);
  }

  @Query(() => [String], {
    description:
      'The attributes a published version of the ICP reads (default: the latest), sorted: an account needs no others to be scored.',
  })
  async scoringAttributes(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('version', () => Int, VERSION_ARG) version?: number,
  ): Promise<readonly string[]> {
    return (await fitScoreService.model(ctx, icp, version)).attributes;
  }

  @Query(() => [FitScore], { description: 'The fit of up to 10,000 accounts, in the order given.' })
  fitScores(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('accounts', () => [AccountInput], {
      description:
        'Up to 10,000 accounts, scored in this order. A value of the wrong type refuses the call; the error names each such account by position.',
    })
    accounts: AccountInput[],
    @Arg('version', () => Int, VERSION_ARG) version?: number,
  ) {
    return fitScoreService.scoreMany(ctx, icp, accounts, version);
  }

  @FieldResolver(() => [publishedType('Persona')], {
    description:
      "Whom to engage: the tier's personas, then the ICP's, as published in the version that scored it (never the draft records).",
  })
  personas(@Root() s: Score): unknown[] {
    return publishedList('Persona', s.personas, scopeOf(s));
  }

  @FieldResolver(() => [publishedType('UseCasePattern')], {
    description: "Use-case patterns for the account's industry, as published in the version that scored it.",
  })
  useCases(@Root() s: Score): unknown[] {
    return publishedList('UseCasePattern', s.useCases, scopeOf(s));
  }
}

type ScoreArgs = { icp: string; version?: number | null };

/**
 * The scoring queries as the schema runs them (graphql/schema.ts): the methods above, called with graphql-js's
 * coerced arguments. type-graphql's own wrapper would first copy every account into an AccountInput instance (an
 * eighth of a 1,000-account fitScores, bench/RESULTS.md); nothing here reads the class (no validation, middleware
 * or auth checker is configured), so the plain objects do.
 */
export function directResolvers(): Record<string, GraphQLFieldResolver<unknown, RequestContext>> {
  const resolver = new FitScoreResolver();
  return {
    fitScore: (_root, args: ScoreArgs & { account: AccountInput }, ctx) =>
      resolver.fitScore(ctx, args.icp, args.account, args.version ?? undefined),
    fitScores: (_root, args: ScoreArgs & { accounts: AccountInput[] }, ctx) =>
      resolver.fitScores(ctx, args.icp, args.accounts, args.version ?? undefined),
  };
}
