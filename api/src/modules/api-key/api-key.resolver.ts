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

@ObjectType()
class IssuedApiKey {
  @Field({ description: 'The key: shown this once, never stored. Send it as "Authorization: Bearer <key>".' })
  key: string;
  @Field(() => ApiKey) apiKey: ApiKey;
}

/** Made once, as the schema is declared (a type made while the schema is built would be missing from it). */
const CreateApiKeyInput = entityInputs('ApiKey', ApiKeyInput, { label: 'API key' }).create;

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => IssuedApiKey, { description: 'Creates an API key for this workspace; the key is returned once.' })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateApiKeyInput) input: ApiKeyInput,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return apiKeyService.issue(ctx, input, reason);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key, in every API process at once.' })
  revokeApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedRevision', () => Int) expectedRevision: number,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return apiKeyService.revoke(ctx, id, expectedRevision, reason);
  }
}
