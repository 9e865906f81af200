import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { TenantRecord } from '../../core/base.entity';
import { Prop } from '../../core/fields';
import { In } from '../../core/inputs';
import { Provenance, ProvenanceField, ProvenanceInput } from './shared.types';
import { assertExpressions } from '../../fit-score/expressions';
import type { RequestContext } from '../../core/context';

/**
 * The shape disqualifiers and trigger events share: a named check on an
 * account, written in words and, where the catalogue allows, as an expression.
 */
@ObjectType()
export abstract class AccountCheck extends TenantRecord {
  @Prop.id({ references: 'Icp', description: 'The ICP this check belongs to; set on creation.' }) icpId: string;
  @Prop.int({ description: "Its place in the ICP's list, from 0; a new one goes last." }) position: number;
  @Prop.text({ description: 'Its name, unique in the ICP, e.g. "No cloud budget".' }) name: string;
  @Prop.text({ nullable: true, description: 'A grouping as the source has it, e.g. "Poor fit indicators".' }) category:
    string | null;
  @Prop.text({
    nullable: true,
    description: 'CEL expression over `account`; without one it is a check for the rep, not evaluated.',
  })
  expression: string | null;
  @Prop.text({ nullable: true, description: 'What it means for the deal, shown with the score.' }) reason:
    string | null;
  @ProvenanceField.stored() provenance: Provenance | null;
}

/** The fields of a AccountCheck, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export abstract class AccountCheckInput {
  @In.id({ required: true }) icpId: string;
  @In.int({ min: 0, max: 10_000 }) position?: number;
  @In.text({ required: true, max: 200 }) name: string;
  @In.text({ max: 200 }) category?: string | null;
  @In.text({ max: 4000 }) expression?: string | null;
  @In.text({ max: 2000 }) reason?: string | null;
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

@InputType({ description: 'Conditions on account check records: a list returns those meeting every condition given.' })
export abstract class AccountCheckFilter {
  @Field(() => [ID], { nullable: true, description: 'Only the records with these ids.' }) ids?: string[];
  @Field({ nullable: true, description: 'Search in name, category and reason.' }) q?: string;
  @Field(() => ID, { nullable: true, description: 'Only the parts of this ICP.' }) icpId?: string;
  @Field({ nullable: true, description: 'Only those of this category, exactly as written.' }) category?: string;
}

export async function checkAccountExpression(ctx: RequestContext, next: Record<string, unknown>): Promise<void> {
  await assertExpressions(ctx, [
    { path: 'input.expression', expression: next.expression as string | null, expect: 'bool' },
  ]);
}

export const ACCOUNT_CHECK_LIST = {
  searchable: ['name', 'category', 'reason'] as const,
  sortable: ['position', 'name', 'category', 'createdAt', 'updatedAt'] as const,
};
