import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { readResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { ApiKey } from './api-key.entity';
import { ApiKeyFilter, ApiKeyInput } from './api-key.inputs';
import { apiKeyService } from './api-key.service';

export const ApiKeyReadResolver = readResolver({
  type: ApiKey,
  plural: 'apiKeys',
  input: ApiKeyInput,
  filter: ApiKeyFilter,
  service: apiKeyService,
});

@ObjectType()
class IssuedApiKey {
  @Field({ description: 'The key: shown this once, never stored. Send it as "Authorization: Bearer <key>".' })
  key: string;
  @Field(() => ApiKey) apiKey: ApiKey;
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => IssuedApiKey, { description: 'Creates an API key for this workspace; the key is returned once.' })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ApiKeyInput) input: ApiKeyInput,
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
