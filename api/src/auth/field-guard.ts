import {
  defaultFieldResolver,
  getNamedType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { RequestContext } from '../core/context';
import { AppError, ForbiddenError } from '../core/errors';
import { denial, fieldDenial, nestedFieldAccess } from './policy';
import { type Role, ROLES } from './roles';

class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
}

type Who = Role | null;

/**
 * The fields below the root that some role reaching them may not read, with
 * who may (policy.ts `nestedFieldAccess`): `Type.field` → roles. Who reaches
 * a type follows from the root fields the policy lets each role (and the
 * anonymous) use, through every field the role may read.
 */
export function guardedFields(schema: GraphQLSchema): Map<string, Role[]> {
  const everyone: Who[] = [...ROLES, null];
  const reach = new Map<string, Set<Who>>();
  const stack: [GraphQLNamedType, Who[]][] = [];
  const visit = (type: GraphQLNamedType, who: Who[]) => {
    const had = reach.get(type.name) ?? new Set<Who>();
    const added = who.filter((w) => !had.has(w));
    if (!added.length) return;
    reach.set(type.name, new Set([...had, ...added]));
    stack.push([type, added]);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()])
    for (const field of Object.values(root?.getFields() ?? {}))
      visit(
        getNamedType(field.type),
        everyone.filter((who) => !denial(field.name, who)),
      );
  const out = new Map<string, Role[]>();
  while (stack.length) {
    const [type, who] = stack.pop()!;
    if (isAbstractType(type)) {
      for (const member of schema.getPossibleTypes(type)) visit(member, who);
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      const access = nestedFieldAccess(target.name);
      const refused = access ? who.filter((w) => !w || !access.includes(w)) : [];
      if (access && refused.length) out.set(`${type.name}.${field.name}`, access);
      visit(
        target,
        who.filter((w) => !refused.includes(w)),
      );
    }
  }
  return out;
}

/**
 * Field-by-field refusal: each guarded field refuses a principal whose role
 * may not read it when it is resolved, so the rest of the operation is
 * answered and the field is null with a FORBIDDEN (or UNAUTHENTICATED) error
 * on its path. A guarded field must be nullable, or its null would wipe its
 * parent too: the schema is refused at start-up otherwise. Only these few
 * resolvers are wrapped, so the scoring path pays nothing. Root fields are
 * the operation guard's (auth/operation-guard.ts).
 */
export function guardFields(schema: GraphQLSchema): GraphQLSchema {
  for (const [key, access] of guardedFields(schema)) {
    const [typeName, fieldName] = key.split('.');
    const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName];
    if (isNonNullType(field.type))
      throw new Error(
        `"${key}" can be refused to some roles, so it must be nullable (a refused non-null field would null its parent)`,
      );
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx: RequestContext, info) => {
      // No principal at all: the system itself (a CLI in-process, the demo loader).
      if (ctx.principal !== undefined) {
        const no = fieldDenial(key, access, ctx.principal?.role ?? null);
        if (no)
          throw no.code === 'UNAUTHENTICATED' ? new UnauthenticatedError(no.message) : new ForbiddenError(no.message);
      }
      return resolve(source, args, ctx, info);
    };
  }
  return schema;
}
