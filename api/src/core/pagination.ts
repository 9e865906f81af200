import { Field, InputType, Int, registerEnumType } from 'type-graphql';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder' });

@InputType()
export class SortInput {
  @Field({ description: 'A field of the listed type, e.g. "name" or "createdAt".' })
  field: string;

  @Field(() => SortOrder, { defaultValue: SortOrder.ASC })
  order: SortOrder;
}

export const MAX_PAGE_SIZE = 500;

@InputType()
export class PageInput {
  @Field(() => Int, { defaultValue: 0 })
  offset: number;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  limit: number;
}
