import { CrudService } from '../../core/crud.service';
import { assertExpressions } from '../../fit-score/expressions';
import { icpChild } from '../shared/icp-child';
import { Tier, TierKind } from './tier.entity';
import { TierInput } from './tier.inputs';
import { personaService } from '../persona/persona.service';

export const tierService = new CrudService<Tier>({
  ...icpChild<Tier>(),
  positionScope: undefined,
  entity: Tier,
  label: 'tier',
  input: TierInput,
  searchable: ['name', 'description'],
  sortable: ['rank', 'name', 'kind', 'createdAt', 'updatedAt'],
  defaultSort: { rank: 'ASC' },
  beforeWrite: async (ctx, next) => {
    next.kind ??= TierKind.TIER;
    await assertExpressions(ctx, [
      { path: 'input.criteria', expression: next.criteria as string | null, expect: 'bool' },
    ]);
  },
  dependents: () => [{ service: personaService, field: 'tierId', onDelete: 'nullify' }],
});
