import { Field, ID, InputType } from 'type-graphql';
import { In } from '../../core/inputs';
import { AttributeType } from './attribute.entity';

/** The fields of a AttributeDefinition, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class AttributeDefinitionInput {
  @In.text({
    required: true,
    max: 64,
    pattern: /^[a-z][A-Za-z0-9_]*$/,
    patternHint: 'must be an identifier starting with a lower-case letter, e.g. "annualRevenueUsd"',
  })
  name: string;
  @In.enum(AttributeType, Object.values(AttributeType), { required: true }) type: AttributeType;
  @In.text({ max: 2000 }) description?: string | null;
  @In.textList({ maxItems: 500, maxLength: 200 }) allowedValues?: string[];
  @In.text({ max: 50 }) unit?: string | null;
}

@InputType({
  description: 'Conditions on AttributeDefinition records: a list returns those meeting every condition given.',
})
export class AttributeDefinitionFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name and description.' }) q?: string;
  @Field({ nullable: true, description: 'Only the one with this name (exact).' }) name?: string;
  @Field(() => AttributeType, { nullable: true, description: 'Only attributes of this type.' }) type?: AttributeType;
}
