import { Field, InputType, Int, registerEnumType } from 'type-graphql';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder' });

/** One key of a list's sort: a field of the listed type (its `<Type>SortField` enum in the schema) and a direction. */
export interface SortKey {
  field: string;
  order: SortOrder;
}

/**
 * The sort input of one type's lists, `<Type>Sort`, whose field is an enum
 * of the fields it can be sorted by (`<Type>SortField`), so the schema says
 * what a list takes. The values are the fields' own names.
 */
export function sortInput(type: string, sortable: readonly string[]): Function {
  const fields = Object.fromEntries(sortable.map((f) => [f, f]));
  registerEnumType(fields, { name: `${type}SortField`, description: `The fields ${type} lists can be sorted by.` });

  @InputType(`${type}Sort`)
  class Sort implements SortKey {
    @Field(() => fields) field: string;
    @Field(() => SortOrder, { defaultValue: SortOrder.ASC }) order: SortOrder;
  }
  return Sort;
}

export const MAX_PAGE_SIZE = 500;

@InputType()
export class PageInput {
  @Field(() => Int, { defaultValue: 0 })
  offset: number;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  limit: number;
}
