import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Provenance } from '../modules/shared/shared.types';

const provenance = {
  nullable: true,
  description: 'Where this part of the ICP comes from (a seed document and section, or derived); null if unrecorded.',
} as const;

@InputType({
  description:
    'An account as a client tool describes it: a key, a name and its attributes (see the attribute catalogue).',
})
export class AccountInput {
  @Field(() => String, {
    nullable: true,
    description: "Your id for the account (e.g. the CRM's); echoed as accountKey.",
  })
  key?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The account's name, for people reading results; scoring never reads it.",
  })
  name?: string | null;
  @Field(() => GraphQLJSON, {
    description: 'Attribute name → value. Missing attributes are allowed; wrong types are refused.',
  })
  attributes: Record<string, unknown>;
}

@ObjectType({
  description:
    'A tier or segment as the published version that scored the account has it (the fit-score contract: id, name, rank).',
  simpleResolvers: true,
})
export class TierRef {
  @Field(() => ID, {
    description:
      'This tier in this version, `<icpId>:<version>:<partId>` (version 0: the draft, as checkIcp and simulateIcp score it): a client cache keeps one entry per tier and version.',
  })
  id: string;
  @Field(() => ID, { description: "The tier's own id: the same in the draft and every version (compare tiers by it)." })
  partId: string;
  @Field({ description: 'Its name in that version.' }) name: string;
  @Field(() => Int, { description: '1 = best.' }) rank: number;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

export enum ConditionOutcome {
  HELD = 'HELD',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ConditionOutcome, {
  name: 'ConditionOutcome',
  description: 'How one condition of a tier fares for an account (three-valued logic).',
  valuesConfig: {
    HELD: { description: 'It holds for the account.' },
    FAILED: {
      description: 'It does not hold: false for the attributes given, or its evaluation failed (see `error`).',
    },
    UNKNOWN: {
      description: 'It reads an attribute the account lacks, so it may hold or not: not counted as failed.',
    },
  },
});

@ObjectType({
  description: "One condition of a tier's criteria (an operand of its top-level &&).",
  simpleResolvers: true,
})
export class ConditionResult {
  @Field({ description: 'Its source text.' }) text: string;
  @Field(() => ConditionOutcome, { description: 'Held, failed, or unknown for want of an attribute.' })
  outcome: ConditionOutcome;
  @Field(() => [String], { description: 'The attributes it reads.' }) attributes: string[];
  @Field(() => String, {
    nullable: true,
    description: 'The evaluation error that failed it (it then does not hold), e.g. "division by zero".',
  })
  error: string | null;
}

@ObjectType({ description: 'A tier and how the account fares on each of its conditions.', simpleResolvers: true })
export class TierMatch {
  @Field(() => TierRef, { description: 'The tier or segment, as the version that scored the account has it.' })
  tier: TierRef;
  @Field(() => Int, { description: 'How many of its conditions hold.' }) held: number;
  @Field(() => Int, { description: 'How many conditions it has.' }) total: number;
  @Field(() => [ConditionResult], {
    description: 'Each of its conditions (the operands of its top-level &&) in the order written, with its outcome.',
  })
  conditions: ConditionResult[];
}

@ObjectType({
  description:
    "An action band of the scoring model: the scores from its minScore up to the next band's are in it, and sales does its action.",
  simpleResolvers: true,
})
export class ScoreBand {
  @Field({ description: 'Its name, e.g. "Active pursuit".' }) name: string;
  @Field(() => Float, {
    description: 'The lowest score in the band, in points (the same scale as FitScore.score), inclusive.',
  })
  minScore: number;
  @Field({ description: 'What sales does with an account in this band, in words.' }) action: string;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

@ObjectType({
  description:
    'A rule, disqualifier or trigger that held for the account. Per result: it has no id of its own (ruleId names the rule).',
  simpleResolvers: true,
})
export class RuleHit {
  // The engine's property is the rule's id; the schema calls it ruleId, so a cache never keys one account's hit by it.
  // simple: false, so the resolver reads the property (`id`), not the schema's name; no middleware runs.
  @Field(() => ID, {
    name: 'ruleId',
    simple: false,
    description: 'The id of the scoring rule, disqualifier or trigger event (its partId in the published version).',
  })
  id: string;
  @Field({ description: 'Its name.' }) name: string;
  @Field({ description: 'Its CEL expression over `account`.' }) expression: string;
  @Field(() => String, { nullable: true, description: 'For disqualifiers: why the account is not pursued.' })
  reason: string | null;
  @Field(() => Float, { nullable: true, description: 'For scoring rules: the points given.' }) points: number | null;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

@ObjectType({
  description: 'One dimension of the scoring model and the points the account gets in it.',
  simpleResolvers: true,
})
export class DimensionScore {
  @Field({ description: 'Its name, e.g. "Use Case Fit".' }) name: string;
  @Field(() => Float, {
    description: 'The points of its rules that hold, summed and clamped to [0, max].',
  })
  score: number;
  @Field(() => Float, { description: 'The most points it can give.' }) max: number;
  @Field(() => [RuleHit], { description: 'The rules of this dimension that held.' }) hits: RuleHit[];
}

export enum CheckKind {
  TIER = 'TIER',
  DISQUALIFIER = 'DISQUALIFIER',
  TRIGGER = 'TRIGGER',
  RULE = 'RULE',
}
registerEnumType(CheckKind, {
  name: 'CheckKind',
  description: 'What kind of part of the ICP a check evaluated.',
  valuesConfig: {
    TIER: { description: "A tier's or segment's criteria." },
    DISQUALIFIER: { description: 'A disqualifier: when it holds, the account is not pursued.' },
    TRIGGER: { description: 'A trigger event: when it holds, the event was observed.' },
    RULE: { description: 'A scoring rule of a dimension: when it holds, it gives its points.' },
  },
});

@ObjectType({
  description:
    'One check the evaluation ran: whether it held, and the points it gave. Per result: it has no id of its own (partId names what was checked).',
  simpleResolvers: true,
})
export class ScoreCheck {
  @Field(() => CheckKind, { description: 'A tier criterion, disqualifier, trigger or scoring rule.' }) kind: CheckKind;
  // The engine's property is the checked part's id; exposed as partId (an id would merge accounts in a client cache).
  @Field(() => ID, {
    name: 'partId',
    simple: false,
    description:
      'The id of the tier, disqualifier, trigger event or scoring rule checked (its partId in the published version).',
  })
  id: string;
  @Field({ description: 'The name of what was checked.' }) name: string;
  @Field({ description: 'Its CEL expression over `account`.' }) expression: string;
  @Field({ description: 'Whether it held for the account.' }) held: boolean;
  @Field(() => Float, { nullable: true, description: 'For scoring rules: the points given.' })
  points: number | null;
  @Field(() => [String], { description: 'Attributes it needed that the account lacks.' }) missingAttributes: string[];
  @Field(() => String, { nullable: true, description: 'For rules: their dimension.' }) dimension: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The evaluation error that stopped this check (it then does not hold), e.g. "division by zero".',
  })
  error: string | null;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

// simpleResolvers: the fields are plain properties; type-graphql's per-field middleware stack is skipped on this hot path.
@ObjectType({ description: 'How well an account fits an ICP, by a published version, and why.', simpleResolvers: true })
export class FitScore {
  @Field(() => String, { nullable: true, description: "The account's key as given (AccountInput.key); null if none." })
  accountKey: string | null;
  @Field({ description: 'The slug of the ICP that scored it.' }) icpSlug: string;
  @Field(() => Int, { description: 'The published version that scored it.' }) icpVersion: number;
  @Field(() => Float, { description: 'The sum of the dimension scores.' }) score: number;
  @Field(() => Float, { description: "The highest possible score: the sum of the dimensions' max." }) maxScore: number;
  @Field({ description: 'True when a disqualifier holds: the account is not pursued, and has no band.' })
  disqualified: boolean;
  @Field(() => [RuleHit], { description: 'The disqualifiers that hit, with their reasons.' }) disqualifiers: RuleHit[];
  @Field(() => TierRef, {
    nullable: true,
    description: 'The best-ranked tier or segment whose conditions all hold; null if none.',
  })
  tier: TierRef | null;
  @Field(() => TierMatch, {
    nullable: true,
    description:
      'When no tier holds: the tier fewest failed conditions away (unknown ones are not failed), then with the most held, and which failed.',
  })
  nearestTier: TierMatch | null;
  @Field(() => [TierMatch], {
    description: 'Every tier with criteria, in rank order: each condition held, failed or unknown (missing data).',
  })
  tierMatches: TierMatch[];
  @Field(() => ScoreBand, {
    nullable: true,
    description: 'The action band the score falls in; null when disqualified.',
  })
  band: ScoreBand | null;
  @Field({
    description:
      'What sales does: "Do not pursue: <the first disqualifier\'s reason>", "Needs data: <decidingAttributes>", or the band\'s action.',
  })
  action: string;
  @Field({ description: 'The tier, disqualification or band could change with the missing attributes.' })
  undetermined: boolean;
  @Field(() => [String], { description: 'The missing attributes that could change them, sorted.' })
  decidingAttributes: string[];
  @Field(() => [DimensionScore], {
    description: 'Each dimension of the scoring model, in order: its score, max and the rules that held.',
  })
  dimensions: DimensionScore[];
  @Field(() => [RuleHit], { description: 'Trigger events observed.' }) triggers: RuleHit[];
  // personas and useCases: published records (PublishedPersona, PublishedUseCasePattern), see FitScoreResolver.
  @Field(() => [String], {
    description: 'The attributes a check read that the account lacks, sorted (decidingAttributes: those that matter).',
  })
  missingAttributes: string[];
  @Field(() => [ScoreCheck], { description: 'Every tier criterion, disqualifier, trigger and rule tested, in order.' })
  explanation: ScoreCheck[];
}
