import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RequestContext } from '../core/context';
import { draftService } from './draft.service';
import { workspaceChecker } from './expressions';
import { AccountInput, FitScore } from './fit-score.types';

@ObjectType({ description: 'Something about the draft worth a look before publishing (it does not block).' })
class IcpWarning {
  @Field() kind: string;
  @Field() message: string;
  @Field(() => [ID]) ids: string[];
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'For an overlap: attributes of an account both tiers match.',
  })
  example?: unknown;
}

@ObjectType({
  description:
    'How one example account fares with the draft. Per result: it has no id of its own (exampleId names the example account).',
})
class ExampleResult {
  // The property is the example account's id; exposed as exampleId, so a cache never keys one check's result by it.
  @Field(() => ID, { name: 'exampleId', description: 'The id of the example account.' }) id: string;
  @Field({ description: "The example account's name." }) name: string;
  @Field({ description: 'True when it got the outcome it expects.' }) passed: boolean;
  @Field(() => [String], { description: 'What differed from the outcome it expects, in words.' }) failures: string[];
  @Field(() => FitScore, { nullable: true, description: 'Its score by the draft; null when it could not be scored.' })
  score: FitScore | null;
}

@ObjectType({ description: 'The draft before publishing: static warnings and its example accounts.' })
class DraftReport {
  @Field(() => [IcpWarning]) warnings: IcpWarning[];
  @Field(() => [ExampleResult]) examples: ExampleResult[];
  @Field({ description: 'True when every example account passes; publishIcp refuses otherwise.' }) publishable: boolean;
}

enum Movement {
  UP = 'UP',
  DOWN = 'DOWN',
  IN = 'IN',
  OUT = 'OUT',
  SAME = 'SAME',
}
registerEnumType(Movement, {
  name: 'Movement',
  description:
    'IN: now qualifies (a tier, not disqualified), before not; OUT: the reverse; UP/DOWN: better/worse tier, else band, else score.',
});

@ObjectType()
class SimulatedAccount {
  @Field(() => String, { nullable: true }) accountKey: string | null;
  @Field(() => FitScore, { nullable: true, description: 'By the latest published version; null if none.' })
  before: FitScore | null;
  @Field(() => FitScore, { description: 'By the draft.' }) after: FitScore;
  @Field(() => Movement) movement: Movement;
  @Field() changed: boolean;
  @Field(() => Float) scoreDelta: number;
}

@ObjectType()
class SimulationSummary {
  @Field(() => Int) up: number;
  @Field(() => Int) down: number;
  @Field(() => Int, { name: 'in' }) in: number;
  @Field(() => Int) out: number;
  @Field(() => Int) same: number;
  @Field(() => Int, { description: 'Accounts whose tier, band, disqualification or score differ.' }) changed: number;
  @Field(() => Int) total: number;
}

@ObjectType()
class Simulation {
  @Field(() => Int, { nullable: true }) publishedVersion: number | null;
  @Field(() => [SimulatedAccount]) accounts: SimulatedAccount[];
  @Field(() => SimulationSummary) summary: SimulationSummary;
}

enum ExpressionKind {
  CONDITION = 'CONDITION',
  POINTS = 'POINTS',
}
registerEnumType(ExpressionKind, {
  name: 'ExpressionKind',
  description:
    'CONDITION gives true or false (criteria, disqualifiers, triggers, rule conditions); POINTS gives a number.',
});

@ObjectType()
class ExpressionCheck {
  @Field() valid: boolean;
  @Field(() => String, { nullable: true }) message: string | null;
  @Field(() => Int, { nullable: true, description: 'Start of the offending part (0-based).' }) start: number | null;
  @Field(() => Int, { nullable: true, description: 'End of the offending part (exclusive).' }) end: number | null;
  @Field(() => [String], { description: 'The attributes it reads.' }) attributes: string[];
}

@Resolver()
export class DraftResolver {
  @Query(() => DraftReport, {
    description:
      'Checks the draft: warnings (overlapping tiers, uncovered scores, unreachable bands, rules reading no attribute) and example accounts.',
  })
  checkIcp(@Ctx() ctx: RequestContext, @Arg('icp') icp: string) {
    return draftService.report(ctx, icp);
  }

  @Query(() => Simulation, {
    description: 'Scores accounts with the draft and with the latest published version, and says who moves.',
  })
  simulateIcp(
    @Ctx() ctx: RequestContext,
    @Arg('icp') icp: string,
    @Arg('accounts', () => [AccountInput]) accounts: AccountInput[],
  ) {
    return draftService.simulate(ctx, icp, accounts);
  }

  @Query(() => ExpressionCheck, {
    description: "Checks an expression against the workspace's attribute catalogue, as saving would.",
  })
  async checkExpression(
    @Ctx() ctx: RequestContext,
    @Arg('expression') expression: string,
    @Arg('kind', () => ExpressionKind, { defaultValue: ExpressionKind.CONDITION }) kind: ExpressionKind,
  ): Promise<ExpressionCheck> {
    const { result, problem } = (await workspaceChecker(ctx)).compile(
      expression,
      kind === ExpressionKind.POINTS ? 'number' : 'bool',
    );
    return problem
      ? { valid: false, message: problem.message, start: problem.start, end: problem.end, attributes: [] }
      : { valid: true, message: null, start: null, end: null, attributes: result!.attributes };
  }
}
