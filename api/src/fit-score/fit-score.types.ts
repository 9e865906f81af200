import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Persona } from '../modules/persona/persona.entity';
import { UseCasePattern } from '../modules/use-case-pattern/use-case-pattern.entity';
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
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => GraphQLJSON, {
    description: 'Attribute name → value. Missing attributes are allowed; wrong types are refused.',
  })
  attributes: Record<string, unknown>;
}

@ObjectType({ simpleResolvers: true })
export class TierRef {
  @Field(() => ID) id: string;
  @Field() name: string;
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
  description: 'UNKNOWN: the condition reads an attribute the account lacks (three-valued logic).',
});

@ObjectType({
  description: "One condition of a tier's criteria (an operand of its top-level &&).",
  simpleResolvers: true,
})
export class ConditionResult {
  @Field({ description: 'Its source text.' }) text: string;
  @Field(() => ConditionOutcome) outcome: ConditionOutcome;
  @Field(() => [String], { description: 'The attributes it reads.' }) attributes: string[];
  @Field(() => String, {
    nullable: true,
    description: 'The evaluation error that failed it (it then does not hold), e.g. "division by zero".',
  })
  error: string | null;
}

@ObjectType({ description: 'A tier and how the account fares on each of its conditions.', simpleResolvers: true })
export class TierMatch {
  @Field(() => TierRef) tier: TierRef;
  @Field(() => Int, { description: 'How many of its conditions hold.' }) held: number;
  @Field(() => Int, { description: 'How many conditions it has.' }) total: number;
  @Field(() => [ConditionResult]) conditions: ConditionResult[];
}

@ObjectType({ simpleResolvers: true })
export class ScoreBand {
  @Field() name: string;
  @Field(() => Float) minScore: number;
  @Field() action: string;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

@ObjectType({ description: 'A rule, disqualifier or trigger that held for the account.', simpleResolvers: true })
export class RuleHit {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() expression: string;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => Float, { nullable: true, description: 'For scoring rules: the points given.' }) points: number | null;
  @Field(() => Provenance, provenance) provenance: Provenance | null;
}

@ObjectType({ simpleResolvers: true })
export class DimensionScore {
  @Field() name: string;
  @Field(() => Float) score: number;
  @Field(() => Float) max: number;
  @Field(() => [RuleHit], { description: 'The rules of this dimension that held.' }) hits: RuleHit[];
}

export enum CheckKind {
  TIER = 'TIER',
  DISQUALIFIER = 'DISQUALIFIER',
  TRIGGER = 'TRIGGER',
  RULE = 'RULE',
}
registerEnumType(CheckKind, { name: 'CheckKind' });

@ObjectType({
  description: 'One check the evaluation ran: whether it held, and the points it gave.',
  simpleResolvers: true,
})
export class ScoreCheck {
  @Field(() => CheckKind) kind: CheckKind;
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() expression: string;
  @Field() held: boolean;
  @Field(() => Float, { nullable: true }) points: number | null;
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
  @Field(() => String, { nullable: true }) accountKey: string | null;
  @Field() icpSlug: string;
  @Field(() => Int, { description: 'The published version that scored it.' }) icpVersion: number;
  @Field(() => Float, { description: 'The sum of the dimension scores.' }) score: number;
  @Field(() => Float) maxScore: number;
  @Field() disqualified: boolean;
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
  @Field(() => [DimensionScore]) dimensions: DimensionScore[];
  @Field(() => [RuleHit], { description: 'Trigger events observed.' }) triggers: RuleHit[];
  @Field(() => [Persona], { description: "Whom to engage: the tier's personas, then the ICP's." }) personas: Persona[];
  @Field(() => [UseCasePattern], { description: "Use-case patterns for the account's industry." })
  useCases: UseCasePattern[];
  @Field(() => [String]) missingAttributes: string[];
  @Field(() => [ScoreCheck], { description: 'Every tier criterion, disqualifier, trigger and rule tested, in order.' })
  explanation: ScoreCheck[];
}
