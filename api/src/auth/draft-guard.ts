import { defaultFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { RequestContext } from '../core/context';
import { ForbiddenError } from '../core/errors';
import { DRAFT_FIELDS } from './policy';
import { Role } from './roles';

export const draftDenial = (field: string) => `Your role CLIENT may not read "${field}": it is draft data`;

/**
 * Defence in depth behind the document analysis: each field of DRAFT_FIELDS
 * refuses a CLIENT when it is resolved, whatever reached it. Only these few
 * resolvers are wrapped, so the scoring path pays nothing.
 */
export function guardDraftFields(schema: GraphQLSchema): GraphQLSchema {
  for (const key of DRAFT_FIELDS) {
    const [typeName, fieldName] = key.split('.');
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`DRAFT_FIELDS names "${key}", which is not a field of the schema`);
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx: RequestContext, info) => {
      if (ctx.principal?.role === Role.CLIENT) throw new ForbiddenError(draftDenial(key));
      return resolve(source, args, ctx, info);
    };
  }
  return schema;
}
