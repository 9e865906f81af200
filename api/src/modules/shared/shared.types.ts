import { Field, InputType, ObjectType } from 'type-graphql';
import { Prop } from '../../core/fields';
import { In, ItemCheck } from '../../core/inputs';

/** Small structured items stored in jsonb lists on ICPs and tiers. */

@ObjectType({ description: 'A labelled value, e.g. { label: "Revenue", value: "$1B+ or high-growth unicorns" }.' })
export class LabeledValue {
  @Field({ description: 'What the value is about, e.g. "Revenue".' }) label: string;
  @Field({ description: 'The value, in words, e.g. "$1B+ or high-growth unicorns".' }) value: string;
}

@InputType('LabeledValueInput', { description: 'A labelled value: a label and the value in words.' })
export class LabeledValueInput {
  @In.text({ required: true, max: 200, description: 'What the value is about, e.g. "Revenue".' }) label: string;
  @In.text({ required: true, max: 2000, description: 'The value, in words.' }) value: string;
}

@ObjectType({ description: 'A criterion in words, with the CEL expression that checks it when one can be written.' })
export class Criterion {
  @Field({ description: 'The criterion in words, e.g. "Runs ML models in production".' }) description: string;
  @Field(() => String, {
    nullable: true,
    description: 'CEL expression over `account` that checks it; null when it cannot be checked from attributes.',
  })
  expression?: string | null;
}

@InputType('CriterionInput', {
  description: 'A criterion in words, with the CEL expression that checks it when one can be written.',
})
export class CriterionInput {
  @In.text({ required: true, max: 2000, description: 'The criterion in words.' }) description: string;
  @In.text({
    max: 4000,
    description: 'CEL expression over `account` that checks it; null when it cannot be checked from attributes.',
  })
  expression?: string | null;
}

@ObjectType({ description: 'A question a rep asks to confirm the fit, with its grouping.' })
export class Question {
  @Field(() => String, { nullable: true, description: 'A grouping as the source has it, e.g. "Budget".' }) category?:
    string | null;
  @Field({ description: 'The question, as a rep would ask it.' }) question: string;
}

@InputType('QuestionInput', { description: 'A question to ask an account, with its grouping.' })
export class QuestionInput {
  @In.text({ max: 200, description: 'A grouping as the source has it, e.g. "Budget".' }) category?: string | null;
  @In.text({ required: true, max: 2000, description: 'The question, as a rep would ask it.' }) question: string;
}

@ObjectType({ description: 'One thing to check about an account before contacting it, with its grouping.' })
export class ChecklistItem {
  @Field(() => String, { nullable: true, description: 'A grouping as the source has it, e.g. "Technical".' }) section?:
    string | null;
  @Field({ description: 'What to check.' }) item: string;
}

@InputType('ChecklistItemInput', { description: 'One thing to check about an account, with its grouping.' })
export class ChecklistItemInput {
  @In.text({ max: 200, description: 'A grouping as the source has it, e.g. "Technical".' }) section?: string | null;
  @In.text({ required: true, max: 2000, description: 'What to check.' }) item: string;
}

/**
 * Where an ICP part comes from (docs/DOMAIN.md): a seed document and its
 * section, or `derived` with the reasoning behind a part the documents do not
 * state. Scores carry it, so a client can tell seed rules from invented ones.
 */
@ObjectType({
  description: 'Where an ICP part comes from: a source document and section, or derived with the reasoning.',
})
export class Provenance {
  @Field({ description: 'True when no document states this part: it was derived, for the reason given.' })
  derived: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'The source document, e.g. "Seed 003: ML inference platform ICP".',
  })
  document?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The section of the document, e.g. "Tier 1: Strategic Accounts".',
  })
  section?: string | null;
  @Field(() => String, { nullable: true, description: 'For a derived part: why it was added or how it was read.' })
  reasoning?: string | null;
}

@InputType('ProvenanceInput', {
  description: 'Where an ICP part comes from: a source document and section, or derived with the reasoning.',
})
export class ProvenanceInput {
  @In.bool({
    description: 'True when no document states this part (then give the reasoning); false: give document and section.',
  })
  derived?: boolean | null;
  @In.text({ max: 300, description: 'The source document, e.g. "Seed 003: ML inference platform ICP".' }) document?:
    string | null;
  @In.text({ max: 300, description: 'The section of the document, e.g. "Tier 1: Strategic Accounts".' }) section?:
    string | null;
  @In.text({ max: 2000, description: 'For a derived part: why it was added or how it was read.' }) reasoning?:
    string | null;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/** A derived part says why; a part from a source says where (document and section). */
const checkProvenance: ItemCheck = (p) =>
  p.derived === true
    ? blank(p.reasoning)
      ? [['reasoning', 'is required when derived is true: say why this part was added or how it was read']]
      : []
    : (['document', 'section'] as const)
        .filter((k) => blank(p[k]))
        .map((k) => [k, `is required unless derived is true: name the source ${k} this part comes from`]);

const PROVENANCE = 'Where this part comes from: a source document and section, or derived with the reasoning.';

/** The `provenance` field of an ICP part, declared once for every part entity and input. */
export const ProvenanceField = {
  stored: () => Prop.item(() => Provenance, { nullable: true, description: PROVENANCE }),
  input: () => In.item(() => ProvenanceInput, { check: checkProvenance, description: PROVENANCE }),
};
