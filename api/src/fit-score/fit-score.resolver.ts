import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { fitScoreService } from './fit-score.service';
import { AccountInput, FitScore } from './fit-score.types';

@Resolver(() => FitScore)
export class FitScoreResolver {
  @Query(() => FitScore, {
    description: 'The fit of one account, by the latest published version of the ICP or the one asked for.',
  })
  fitScore(
    @Ctx() ctx: RequestContext,
    @Arg('icp', { description: "The ICP's id or slug." }) icp: string,
    @Arg('account', () => AccountInput) account: AccountInput,
    @Arg('version', () => Int, { nullable: true }) version?: number,
  ) {
    return fitScoreService.score(ctx, icp, account, version);
  }

  @Query(() => [String], {
    description:
      'The attributes a published version of the ICP reads (default: the latest), sorted: an account needs no others to be scored.',
  })
  async scoringAttributes(
    @Ctx() ctx: RequestContext,
    @Arg('icp', { description: "The ICP's id or slug." }) icp: string,
    @Arg('version', () => Int, { nullable: true }) version?: number,
  ): Promise<readonly string[]> {
    return (await fitScoreService.model(ctx, icp, version)).attributes;
  }

  @Query(() => [FitScore], { description: 'The fit of up to 10,000 accounts, in the order given.' })
  fitScores(
    @Ctx() ctx: RequestContext,
    @Arg('icp') icp: string,
    @Arg('accounts', () => [AccountInput]) accounts: AccountInput[],
    @Arg('version', () => Int, { nullable: true }) version?: number,
  ) {
    return fitScoreService.scoreMany(ctx, icp, accounts, version);
  }
}
