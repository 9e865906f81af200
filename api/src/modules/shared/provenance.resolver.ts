import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Provenance } from './shared.types';

/** A provenance stored without `derived` (a part from a source document) reads as derived: false. */
@Resolver(() => Provenance)
export class ProvenanceResolver {
  @FieldResolver(() => Boolean)
  derived(@Root() p: Provenance): boolean {
    return p.derived === true;
  }
}
