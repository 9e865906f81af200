import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { readResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { entityInputs } from '../../core/inputs';
import { ApiKey } from './api-key.entity';
import { ApiKeyFilter, ApiKeyInput } from './api-key.inputs';
import { apiKeyService } from './api-key.service';

export const ApiKeyReadResolver = readResolver({
  type: ApiKey,
  plural: 'apiKeys',
  filter: ApiKeyFilter,
  service: apiKeyService,
});

@ObjectType({ description: 'A new API key: the key itself, shown this once, and its record.' })
class IssuedApiKey {
  @Field({ description: 'The key: shown this once, never stored. Send it as "Authorization: Bearer <key>".' })
  key: string;
  @Field(() => ApiKey, { description: 'The key as stored (its prefix, never the key).' }) apiKey: ApiKey;
}

/** Made once, as the schema is declared (a type made while the schema is built would be missing from it). */
const CreateApiKeyInput = entityInputs(ApiKey, ApiKeyInput, { label: 'API key' }).create;

const REASON = { nullable: true, description: "Why, in the admin's words; kept in the history." };

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => IssuedApiKey, { description: 'Creates an API key for this workspace; the key is returned once.' })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateApiKeyInput, { description: 'Its name and role.' }) input: ApiKeyInput,
    @Arg('reason', () => String, REASON) reason?: string,
  ) {
    return apiKeyService.issue(ctx, input, reason);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key, in every API process at once.' })
  revokeApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The key to revoke.' }) id: string,
    @Arg('expectedRevision', () => Int, { description: 'Its revision as you read it; CONFLICT when it changed since.' })
    expectedRevision: number,
    @Arg('reason', () => String, REASON) reason?: string,
  ) {
    return apiKeyService.revoke(ctx, id, expectedRevision, reason);
  }
}
