import { ApiKey } from './api-key.entity';
import { ApiKeyReadResolver, ApiKeyResolver } from './api-key.resolver';
import { apiKeyService } from './api-key.service';

export { ApiKey } from './api-key.entity';
export { apiKeyService } from './api-key.service';
export const apiKeyModule = {
  entities: [ApiKey],
  services: [apiKeyService],
  resolvers: [ApiKeyReadResolver, ApiKeyResolver],
};
