import { ValidationError } from './errors';
import { fieldDescription } from './fields';
import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, {
  name: 'SortOrder',
  description: 'The direction of one sort key.',
  valuesConfig: {
    ASC: { description: 'Smallest first: A to Z (any case), 0 to 9, oldest first.' },
    DESC: { description: 'Largest first: Z to A (any case), 9 to 0, newest first.' },
  },
});

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
export function sortInput(entity: Function, sortable: readonly string[]): Function {
  const type = entity.name;
  const fields = Object.fromEntries(sortable.map((f) => [f, f]));
  registerEnumType(fields, {
    name: `${type}SortField`,
    description: `The fields ${type} lists can be sorted by.`,
    valuesConfig: Object.fromEntries(
      sortable.map((f) => [f, { description: `Its ${f} field. ${fieldDescription(entity, f) ?? ''}`.trim() }]),
    ),
  });

  @InputType(`${type}Sort`, { description: `One sort key of a ${type} list: a field and a direction.` })
  class Sort implements SortKey {
    @Field(() => fields, { description: 'The field to sort by.' }) field: string;
    @Field(() => SortOrder, { defaultValue: SortOrder.ASC, description: 'The direction (default ASC).' })
    order: SortOrder;
  }
  return Sort;
}

export const MAX_PAGE_SIZE = 500;

/** The paging arguments of a list, and the largest page it serves. */
export interface PageArgs {
  offset: number;
  limit: number;
}

/**
 * Every list's paging: top-level `offset` and `limit` arguments, the shape
 * Apollo Client's `offsetLimitPagination` and most clients expect. With the
 * list's `<type>Count` a client knows how many pages there are. Each list has
 * a largest page (`max`, stated in the schema); `checkedPage` checks a page
 * against it, with the same messages for every list.
 */
export function pageArgs(max: number): (new () => PageArgs) & { max: number } {
  @ArgsType()
  class Page implements PageArgs {
    static readonly max = max;

    @Field(() => Int, { defaultValue: 0, description: 'How many records to skip, from the first in the sort order.' })
    offset: number;

    @Field(() => Int, { defaultValue: 50, description: `How many records to return at most: 1 to ${max}.` })
    limit: number;
  }
  return Page;
}

/** The paging of most lists: at most MAX_PAGE_SIZE records a page. */
export const PageArgs = pageArgs(MAX_PAGE_SIZE);

/** The paging a list was asked for, checked against its largest page: a ValidationError naming the argument when out of range. */
export function checkedPage(
  page: Partial<PageArgs> | null | undefined,
  max: number = MAX_PAGE_SIZE,
): { offset: number; limit: number } {
  const offset = page?.offset ?? 0;
  const limit = page?.limit ?? 50;
  if (!Number.isInteger(offset) || offset < 0) throw ValidationError.one('offset', `must be 0 or more (got ${offset})`);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw ValidationError.one('limit', `must be between 1 and ${max} (got ${limit})`);
  return { offset, limit };
}

/** @deprecated The nested `page` argument (before issue 17); lists take `offset` and `limit` (PageArgs). */
@InputType()
export class PageInput {
  @Field(() => Int, { defaultValue: 0 })
  offset: number;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  limit: number;
}
