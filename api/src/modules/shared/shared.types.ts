import { Field, InputType, ObjectType } from 'type-graphql';
import { In } from '../../core/inputs';

/** Small structured items stored in jsonb lists on ICPs and tiers. */

@ObjectType({ description: 'A labelled value, e.g. { label: "Revenue", value: "$1B+ or high-growth unicorns" }.' })
export class LabeledValue {
  @Field() label: string;
  @Field() value: string;
}

@InputType('LabeledValueInput')
export class LabeledValueInput {
  @In.text({ required: true, max: 200 }) label: string;
  @In.text({ required: true, max: 2000 }) value: string;
}

@ObjectType({ description: 'A criterion in words, with the CEL expression that checks it when one can be written.' })
export class Criterion {
  @Field() description: string;
  @Field(() => String, { nullable: true }) expression?: string | null;
}

@InputType('CriterionInput')
export class CriterionInput {
  @In.text({ required: true, max: 2000 }) description: string;
  @In.text({ max: 4000 }) expression?: string | null;
}

@ObjectType()
export class Question {
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field() question: string;
}

@InputType('QuestionInput')
export class QuestionInput {
  @In.text({ max: 200 }) category?: string | null;
  @In.text({ required: true, max: 2000 }) question: string;
}

@ObjectType()
export class ChecklistItem {
  @Field(() => String, { nullable: true }) section?: string | null;
  @Field() item: string;
}

@InputType('ChecklistItemInput')
export class ChecklistItemInput {
  @In.text({ max: 200 }) section?: string | null;
  @In.text({ required: true, max: 2000 }) item: string;
}
