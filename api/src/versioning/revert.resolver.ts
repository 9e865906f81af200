import { Arg, createUnionType, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ENTITY_ACCESS } from '../auth/policy';
import type { EntityRegistry } from '../core/entity-registry';
import type { RequestContext } from '../core/context';
import { historyService, type RevertedRecord as Reverted } from './history.service';

/** `revertRecord`, whose result is a union of every type some role may revert, from the registry's services. */
export function revertResolver(registry: EntityRegistry): Function {
  // Each type through its own GraphQL type, so no stored column (a hash) can reach a client.
  const RevertibleRecord = createUnionType({
    name: 'RevertibleRecord',
    description: 'A record of any type that can be reverted (a type some role may update): select with "... on Type".',
    types: () =>
      registry
        .services()
        .map((s) => s.entity)
        .filter((e) => ENTITY_ACCESS[e.name]?.write.length)
        .sort((a, b) => a.name.localeCompare(b.name)) as unknown as [new () => object],
    resolveType: (value) => value.constructor.name,
  });

  @ObjectType({ description: 'A record brought back to an earlier revision.' })
  class RevertedRecord implements Reverted {
    @Field({ description: 'The GraphQL type of the record, e.g. "Persona".' }) entityType: string;
    @Field(() => ID, { description: "The record's id." }) id: string;
    @Field(() => Int, { description: 'Its new revision.' }) revision: number;
    @Field(() => RevertibleRecord, { description: 'Its new state; select fields with "... on Persona { name }".' })
    record: { id: string; revision: number };
  }

  @Resolver()
  class RevertResolver {
    @Mutation(() => RevertedRecord, {
      description:
        'Brings a record back to an earlier revision (re-creating it if it was deleted); a new revision. Allowed exactly when updating its type is.',
    })
    revertRecord(
      @Ctx() ctx: RequestContext,
      @Arg('id', () => ID, { description: "The record's id (it may have been deleted)." }) id: string,
      @Arg('toRevision', () => Int, { description: 'The revision whose state it gets back (see `history`).' })
      toRevision: number,
      @Arg('expectedRevision', () => Int, {
        description: 'The current revision (for a deleted record: the revision of its deletion).',
      })
      expectedRevision: number,
      @Arg('reason', () => String, { nullable: true, description: 'Why, for the history.' }) reason?: string,
    ): Promise<Reverted> {
      return historyService.revert(ctx, id, toRevision, expectedRevision, reason);
    }
  }
  return RevertResolver;
}
