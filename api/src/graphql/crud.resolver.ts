import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CrudService } from '../core/crud.service';
import { ENTITY_ACCESS } from '../auth/policy';
import type { RequestContext } from '../core/context';
import { PageArgs, sortInput, type SortKey } from '../core/pagination';
import { entityInputs } from '../core/inputs';

interface CrudResolverOptions<E extends { id: string; revision: number }> {
  /** GraphQL type name, e.g. "Persona"; the operations are persona, personas, createPersona… */
  type: new () => E;
  plural: string;
  filter: Function;
  service: CrudService<E>;
}

const REASON = { nullable: true, description: "Why, in the editor's words; kept in the history." };
const ID_ARG = { description: 'The id of the record.' };
const EXPECTED = {
  description:
    'The revision your change is based on (the record as you read it); CONFLICT when it is no longer the current one.',
};
const FILTER = { nullable: true, description: 'Only the records matching every condition given; all when absent.' };
const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/**
 * Makes the operations of one entity: `x(id)`, `xs(filter, sort, page)`, `xCount(filter)`,
 * and those of `createX(input)`, `updateX(id, expectedRevision, input)`,
 * `deleteX(id, expectedRevision)` that the access table (auth/policy.ts) lists
 * for the type. Each is a decorator stack and one service call.
 */
export function crudResolver<E extends { id: string; revision: number }>(o: CrudResolverOptions<E>): Function[] {
  const verbs = ENTITY_ACCESS[o.type.name]?.verbs ?? [];
  return [readResolver(o), ...verbs.map((verb) => WRITERS[verb](o))];
}

export function readResolver<E extends { id: string; revision: number }>(o: CrudResolverOptions<E>): Function {
  const name = o.type.name;
  const one = lowerFirst(name);
  const Sort = sortInput(o.type, o.service.cfg.sortable);

  @Resolver(() => o.type)
  class ReadResolver {
    @Query(() => o.type, { name: one, description: `One ${one} by id; NOT_FOUND when this workspace has none.` })
    get(@Ctx() ctx: RequestContext, @Arg('id', () => ID, ID_ARG) id: string): Promise<E> {
      return o.service.get(ctx, id);
    }

    @Query(() => [o.type], {
      name: o.plural,
      description: `${name} records matching the filter, sorted, one page (default the first 50).`,
    })
    list(
      @Ctx() ctx: RequestContext,
      @Arg('filter', () => o.filter, FILTER) filter?: Record<string, unknown>,
      @Arg('sort', () => [Sort], { nullable: true, description: 'Sort keys, in order; then by id.' })
      sort?: SortKey[],
      @Args(() => PageArgs) page?: PageArgs,
    ): Promise<E[]> {
      return o.service.list(ctx, { filter, sort, page });
    }

    @Query(() => Int, { name: `${one}Count`, description: `How many ${name} records match the filter (for paging).` })
    count(
      @Ctx() ctx: RequestContext,
      @Arg('filter', () => o.filter, FILTER) filter?: Record<string, unknown>,
    ): Promise<number> {
      return o.service.count(ctx, filter ?? {});
    }
  }
  Object.defineProperty(ReadResolver, 'name', { value: `${name}ReadResolver` });
  return ReadResolver;
}

function named(resolver: Function, name: string): Function {
  Object.defineProperty(resolver, 'name', { value: name });
  return resolver;
}

/** The type's Create and Update inputs, from the service's field list and create-only fields. */
const inputsOf = <E extends { id: string; revision: number }>(o: CrudResolverOptions<E>) =>
  entityInputs(o.type, o.service.cfg.input, { label: o.service.cfg.label, createOnly: o.service.cfg.immutable });

function createResolver<E extends { id: string; revision: number }>(o: CrudResolverOptions<E>): Function {
  const name = o.type.name;
  const { create } = inputsOf(o);
  @Resolver(() => o.type)
  class CreateResolver {
    @Mutation(() => o.type, {
      name: `create${name}`,
      description: `Creates a ${o.service.cfg.label} at revision 1; the history keeps who, when and why.`,
    })
    create(
      @Ctx() ctx: RequestContext,
      @Arg('input', () => create, { description: 'Its fields; the non-null ones are required.' }) input: object,
      @Arg('reason', () => String, REASON) reason?: string,
    ): Promise<E> {
      return o.service.create(ctx, input, { reason });
    }
  }
  return named(CreateResolver, `${name}CreateResolver`);
}

function updateResolver<E extends { id: string; revision: number }>(o: CrudResolverOptions<E>): Function {
  const name = o.type.name;
  const { update } = inputsOf(o);
  @Resolver(() => o.type)
  class UpdateResolver {
    @Mutation(() => o.type, {
      name: `update${name}`,
      description: 'Refused with CONFLICT when expectedRevision is not the current revision.',
    })
    update(
      @Ctx() ctx: RequestContext,
      @Arg('id', () => ID, ID_ARG) id: string,
      @Arg('expectedRevision', () => Int, EXPECTED) expectedRevision: number,
      @Arg('input', () => update, { description: 'The fields to change; the others keep their value.' }) input: object,
      @Arg('reason', () => String, REASON) reason?: string,
    ): Promise<E> {
      return o.service.update(ctx, id, expectedRevision, input, { reason });
    }
  }
  return named(UpdateResolver, `${name}UpdateResolver`);
}

function deleteResolver<E extends { id: string; revision: number }>(o: CrudResolverOptions<E>): Function {
  const name = o.type.name;
  @Resolver(() => o.type)
  class DeleteResolver {
    @Mutation(() => o.type, {
      name: `delete${name}`,
      description: 'Returns the deleted record. Refused with CONFLICT on a stale revision.',
    })
    delete(
      @Ctx() ctx: RequestContext,
      @Arg('id', () => ID, ID_ARG) id: string,
      @Arg('expectedRevision', () => Int, EXPECTED) expectedRevision: number,
      @Arg('reason', () => String, REASON) reason?: string,
    ): Promise<E> {
      return o.service.delete(ctx, id, expectedRevision, { reason });
    }
  }
  return named(DeleteResolver, `${name}DeleteResolver`);
}

const WRITERS = { create: createResolver, update: updateResolver, delete: deleteResolver };
