import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RequestContext } from '../core/context';
import type { WarningKind } from '../scoring-engine/checks';
import { draftService } from './draft.service';
import { workspaceChecker } from './expressions';
import { AccountInput, FitScore } from './fit-score.types';

/** Every kind of warning the static checks give (scoring-engine/checks.ts), described: the enum's values. */
const WARNING_KINDS: Record<WarningKind, string> = {
  TIER_OVERLAP:
    'Two tiers with criteria both match some accounts (such an account gets the better rank); ids: the two tiers, example: such an account.',
  SCORE_NOT_COVERED: 'Scores from 0 up to the lowest band fall in no band, so get no action; ids: that lowest band.',
  BAND_UNREACHABLE:
    'A band starts above the highest possible score (maxScore), so no account reaches it; ids: the band.',
  RULE_READS_NO_ATTRIBUTE: 'A scoring rule reads no attribute, so gives every account the same points; ids: the rule.',
  NO_BANDS: 'The scoring model has dimensions but no action band: no score gets an action; ids: empty.',
  NOT_EVALUATED:
    'Tiers without criteria, disqualifiers or triggers without an expression: for reps only, never evaluated; ids: them.',
};
const IcpWarningKind = Object.fromEntries(Object.keys(WARNING_KINDS).map((k) => [k, k]));
registerEnumType(IcpWarningKind, {
  name: 'IcpWarningKind',
  description: 'What a warning about a draft is about.',
  valuesConfig: Object.fromEntries(Object.entries(WARNING_KINDS).map(([k, description]) => [k, { description }])),
});

@ObjectType({ description: 'Something about the draft worth a look before publishing (it does not block).' })
class IcpWarning {
  @Field(() => IcpWarningKind, { description: 'What it is about; each kind says what `ids` holds.' })
  kind: WarningKind;
  @Field({ description: 'The warning in words, naming the records concerned.' }) message: string;
  @Field(() => [ID], { description: 'The ids of the draft records concerned (tiers, bands, rules, …); may be empty.' })
  ids: string[];
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
  @Field(() => [IcpWarning], { description: 'Static warnings about the draft; they do not block publishing.' })
  warnings: IcpWarning[];
  @Field(() => [ExampleResult], { description: "Each of the ICP's example accounts, scored by the draft." })
  examples: ExampleResult[];
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
    'How an account moves from the latest published version to the draft. It qualifies when it has a tier and is not disqualified.',
  valuesConfig: {
    UP: {
      description:
        'It qualifies in both or neither, and gets a better tier (lower rank), else a higher band, else a higher score.',
    },
    DOWN: {
      description: 'It qualifies in both or neither, and gets a worse tier, else a lower band, else a lower score.',
    },
    IN: { description: 'It qualifies by the draft, not by the published version (or there is none).' },
    OUT: { description: 'It qualified by the published version, not by the draft.' },
    SAME: {
      description: 'Same tier, band and score; or, with no published version, it does not qualify by the draft.',
    },
  },
});

@ObjectType({ description: 'One account scored by the published version and by the draft, and how it moves.' })
class SimulatedAccount {
  @Field(() => String, { nullable: true, description: "The account's key as given; null if none." })
  accountKey: string | null;
  @Field(() => FitScore, { nullable: true, description: 'By the latest published version; null if none.' })
  before: FitScore | null;
  @Field(() => FitScore, { description: 'By the draft.' }) after: FitScore;
  @Field(() => Movement, { description: 'How it moves from before to after.' }) movement: Movement;
  @Field({
    description: 'True when its tier, band, disqualification or score differ (always, with no published version).',
  })
  changed: boolean;
  @Field(() => Float, { description: 'The score after minus the score before (0 before, with no published version).' })
  scoreDelta: number;
}

@ObjectType({ description: 'How many simulated accounts move each way.' })
class SimulationSummary {
  @Field(() => Int, { description: 'Accounts that move UP.' }) up: number;
  @Field(() => Int, { description: 'Accounts that move DOWN.' }) down: number;
  @Field(() => Int, { name: 'in', description: 'Accounts that move IN.' }) in: number;
  @Field(() => Int, { description: 'Accounts that move OUT.' }) out: number;
  @Field(() => Int, { description: 'Accounts that stay the SAME.' }) same: number;
  @Field(() => Int, { description: 'Accounts whose tier, band, disqualification or score differ.' }) changed: number;
  @Field(() => Int, { description: 'Accounts simulated.' }) total: number;
}

@ObjectType({
  description: "What a draft would change: accounts scored by the draft and by the ICP's latest published version.",
})
class Simulation {
  @Field(() => Int, {
    nullable: true,
    description: 'The published version compared with (the latest); null if the ICP was never published.',
  })
  publishedVersion: number | null;
  @Field(() => [SimulatedAccount], { description: 'Each account, in the order given.' }) accounts: SimulatedAccount[];
  @Field(() => SimulationSummary, { description: 'The counts of each movement.' }) summary: SimulationSummary;
}

enum ExpressionKind {
  CONDITION = 'CONDITION',
  POINTS = 'POINTS',
}
registerEnumType(ExpressionKind, {
  name: 'ExpressionKind',
  description: 'What an expression must give.',
  valuesConfig: {
    CONDITION: { description: 'True or false: tier criteria, disqualifiers, triggers, rule conditions.' },
    POINTS: { description: "A number: a scoring rule's points." },
  },
});

@ObjectType({ description: 'Whether an expression would be accepted when saved, and if not, what and where.' })
class ExpressionCheck {
  @Field({ description: 'True when it compiles against the catalogue and gives what its kind asks.' }) valid: boolean;
  @Field(() => String, { nullable: true, description: 'Why it is refused; null when valid.' }) message: string | null;
  @Field(() => Int, { nullable: true, description: 'Start of the offending part (0-based).' }) start: number | null;
  @Field(() => Int, { nullable: true, description: 'End of the offending part (exclusive).' }) end: number | null;
  @Field(() => [String], { description: 'The attributes it reads.' }) attributes: string[];
}

const ICP_ARG = { description: "The ICP's id or slug: its draft is checked." };

@Resolver()
export class DraftResolver {
  @Query(() => DraftReport, {
    description:
      'Checks the draft: warnings (overlapping tiers, uncovered scores, unreachable bands, rules reading no attribute) and example accounts.',
  })
  checkIcp(@Ctx() ctx: RequestContext, @Arg('icp', ICP_ARG) icp: string) {
    return draftService.report(ctx, icp);
  }

  @Query(() => Simulation, {
    description: 'Scores accounts with the draft and with the latest published version, and says who moves.',
  })
  simulateIcp(
    @Ctx() ctx: RequestContext,
    @Arg('icp', ICP_ARG) icp: string,
    @Arg('accounts', () => [AccountInput], { description: 'Up to 10,000 accounts, scored in this order.' })
    accounts: AccountInput[],
  ) {
    return draftService.simulate(ctx, icp, accounts);
  }

  @Query(() => ExpressionCheck, {
    description: "Checks an expression against the workspace's attribute catalogue, as saving would.",
  })
  async checkExpression(
    @Ctx() ctx: RequestContext,
    @Arg('expression', { description: 'A CEL expression over `account`, e.g. "account.employees >= 200".' })
    expression: string,
    @Arg('kind', () => ExpressionKind, {
      defaultValue: ExpressionKind.CONDITION,
      description: 'What it must give: a condition or points.',
    })
    kind: ExpressionKind,
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
