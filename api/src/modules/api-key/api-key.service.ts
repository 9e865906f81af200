import { CrudService } from '../../core/crud.service';
import type { RequestContext } from '../../core/context';
import { ConflictError } from '../../core/errors';
import { newApiKey } from '../../auth/tokens';
import { announceAuthChange } from '../../cache/announce';
import { RevisionAction } from '../../core/revision.entity';
import { withTransaction } from '../../db/transaction';
import { ApiKey } from './api-key.entity';
import { ApiKeyInput } from './api-key.inputs';

class ApiKeyService extends CrudService<ApiKey> {
  /** Creates a key and returns it once; only its hash is kept. Creating is an audited change. */
  async issue(
    ctx: RequestContext,
    input: ApiKeyInput,
    reason?: string | null,
  ): Promise<{ key: string; apiKey: ApiKey }> {
    const { key, hash, prefix } = newApiKey();
    const apiKey = await this.create(ctx, input, {
      reason,
      set: { keyHash: hash, prefix, createdBy: ctx.actor.label },
    });
    // The saved object still holds what was inserted: the hash goes no further.
    delete (apiKey as Partial<ApiKey>).keyHash;
    return { key, apiKey };
  }

  /** Revokes a key at once in every process (NOTIFY); an audited change. */
  async revoke(ctx: RequestContext, id: string, expectedRevision: number, reason?: string | null): Promise<ApiKey> {
    return withTransaction(ctx, async (tx) => {
      const existing = await this.get(tx, id);
      if (existing.revokedAt)
        throw new ConflictError(
          `API key "${existing.name}" was already revoked at ${existing.revokedAt.toISOString()}`,
          { id },
        );
      this.checkRevision(existing, expectedRevision);
      const revoked = await this.applyUpdate(
        tx,
        existing,
        { revokedAt: new Date() },
        RevisionAction.UPDATE,
        reason ?? 'revoked',
      );
      await announceAuthChange(tx);
      return revoked;
    });
  }
}

export const apiKeyService = new ApiKeyService({
  entity: ApiKey,
  label: 'API key',
  input: ApiKeyInput,
  searchable: ['name'],
  sortable: ['name', 'role', 'createdAt', 'lastUsedAt'],
  defaultSort: { createdAt: 'DESC' },
  hidden: ['keyHash'],
});
