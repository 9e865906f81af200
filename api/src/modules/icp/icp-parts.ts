import { Disqualifier } from '../disqualifier/disqualifier.entity';
import { DisqualifierInput } from '../disqualifier/disqualifier.inputs';
import { ExampleAccount } from '../example-account/example-account.entity';
import { ExampleAccountInput } from '../example-account/example-account.inputs';
import { Persona } from '../persona/persona.entity';
import { PersonaInput } from '../persona/persona.inputs';
import { ActionBand, ScoringDimension, ScoringRule } from '../scoring-model/scoring-model.entity';
import { ActionBandInput, ScoringDimensionInput, ScoringRuleInput } from '../scoring-model/scoring-model.inputs';
import { Tier } from '../tier/tier.entity';
import { TierInput } from '../tier/tier.inputs';
import { TriggerEvent } from '../trigger-event/trigger-event.entity';
import { TriggerEventInput } from '../trigger-event/trigger-event.inputs';
import { UseCasePattern } from '../use-case-pattern/use-case-pattern.entity';
import { UseCasePatternInput } from '../use-case-pattern/use-case-pattern.inputs';

/**
 * The registry of ICP parts: every record type an ICP is made of, declared
 * once. Everything that must know them all derives from this list: the
 * snapshot of an ICP (versions, diffs, reverts), what deleting an ICP deletes
 * (each with its revision), the ICP's GraphQL fields, the ICP file's sections
 * and the order of an import, the policy's draft types and the history's
 * entity types. Adding a part is one entry here plus its module.
 *
 * It imports entity and input classes only (no services), so the policy can
 * derive from it without an import cycle; a part's service is found by its
 * type (modules/icp/part-services.ts).
 */
export interface IcpPart {
  /** Its entity; the class name is its GraphQL type, policy type and history entity type ("Tier"). */
  entity: new () => { id: string; revision: number; icpId: string };
  /** Its GraphQL input: the fields of its record in an ICP file derive from it. */
  input: Function;
  /** Its list in a snapshot of the ICP. */
  key: string;
  /** The ICP's GraphQL field listing it, when not `key`. */
  field?: string;
  /** The order of that field's list (default: by position). */
  order?: Readonly<Record<string, 'ASC' | 'DESC'>>;
  /** The description of that field. */
  description?: string;
  /**
   * Its list in an ICP file: a dotted path from the top of the file
   * ("scoring.bands"), or, for a part with a parent, inside the parent's record ("rules").
   */
  section: string;
  /** The part its records live under (a rule under its dimension), and the input field that names it. */
  parent?: { readonly type: string; readonly field: string };
  /** Other parts its records point at, named by name in a file (a persona's `tier` for `tierId`). */
  links?: readonly { readonly name: string; readonly field: string; readonly type: string }[];
}

/**
 * Every part, parents before children, in the order of the ICP file: the
 * order of snapshots, of the writes of an import or a revert; deletions run
 * in the reverse order.
 */
const DECLARED = [
  {
    entity: Tier,
    input: TierInput,
    key: 'tiers',
    order: { rank: 'ASC' },
    description: 'Tiers or segments, best rank first.',
    section: 'tiers',
  },
  {
    entity: Persona,
    input: PersonaInput,
    key: 'personas',
    section: 'personas',
    links: [{ name: 'tier', field: 'tierId', type: 'Tier' }],
  },
  { entity: UseCasePattern, input: UseCasePatternInput, key: 'useCasePatterns', section: 'useCasePatterns' },
  { entity: Disqualifier, input: DisqualifierInput, key: 'disqualifiers', section: 'disqualifiers' },
  { entity: TriggerEvent, input: TriggerEventInput, key: 'triggerEvents', section: 'triggerEvents' },
  {
    entity: ScoringDimension,
    input: ScoringDimensionInput,
    key: 'scoringDimensions',
    description: 'The scoring model: dimensions, each with its rules and a maximum.',
    section: 'scoring.dimensions',
  },
  {
    entity: ScoringRule,
    input: ScoringRuleInput,
    key: 'scoringRules',
    section: 'rules',
    parent: { type: 'ScoringDimension', field: 'dimensionId' },
  },
  {
    entity: ActionBand,
    input: ActionBandInput,
    key: 'actionBands',
    field: 'bands',
    order: { minScore: 'DESC' },
    description: 'Action bands, highest minScore first.',
    section: 'scoring.bands',
  },
  {
    entity: ExampleAccount,
    input: ExampleAccountInput,
    key: 'exampleAccounts',
    description: 'Accounts with the outcome they must get; all must pass to publish.',
    section: 'exampleAccounts',
  },
] as const satisfies readonly IcpPart[];

export const ICP_PARTS: readonly IcpPart[] = DECLARED;

/** A key of a part's list in a snapshot. */
export type PartKey = (typeof DECLARED)[number]['key'];

/** The type name of each part ("Tier"), in registry order. */
export const partTypes = (): string[] => ICP_PARTS.map((p) => p.entity.name);

/** The parts whose records live under a record of this type ("ScoringDimension": its rules); no type: under the ICP. */
export const partsUnder = (type?: string): IcpPart[] => ICP_PARTS.filter((p) => p.parent?.type === type);

/** The part of this type, or an error naming it: a missing part must never be skipped silently. */
export function partOf(type: string): IcpPart {
  const part = ICP_PARTS.find((p) => p.entity.name === type);
  if (!part) throw new Error(`"${type}" is not a part of an ICP (api/src/modules/icp/icp-parts.ts)`);
  return part;
}
