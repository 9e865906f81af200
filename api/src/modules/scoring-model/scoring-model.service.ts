import { CrudService } from '../../core/crud.service';
import { NotFoundError, ValidationError } from '../../core/errors';
import { db } from '../../core/context';
import { assertExpressions } from '../../fit-score/expressions';
import { icpChild } from '../shared/icp-child';
import { ActionBand, ScoringDimension, ScoringRule } from './scoring-model.entity';
import { ActionBandInput, ScoringDimensionInput, ScoringRuleInput } from './scoring-model.inputs';

export const scoringDimensionService = new CrudService<ScoringDimension>({
  ...icpChild<ScoringDimension>(),
  entity: ScoringDimension,
  label: 'scoring dimension',
  input: ScoringDimensionInput,
  searchable: ['name', 'description'],
  sortable: ['position', 'name', 'max', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  dependents: () => [{ service: scoringRuleService, field: 'dimensionId', onDelete: 'delete' }],
});

export const scoringRuleService = new CrudService<ScoringRule>({
  entity: ScoringRule,
  label: 'scoring rule',
  input: ScoringRuleInput,
  references: [{ field: 'dimensionId', entity: ScoringDimension, label: 'scoring dimension' }],
  positionScope: 'dimensionId',
  searchable: ['name', 'condition', 'description'],
  sortable: ['position', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  // A rule belongs to the ICP of its dimension; moving it to another ICP's dimension is refused.
  beforeWrite: async (ctx, next, existing) => {
    const dimension = await db(ctx).findOne(ScoringDimension, {
      where: { id: next.dimensionId as string, workspaceId: ctx.workspaceId },
    });
    if (!dimension) throw new NotFoundError('scoring dimension', next.dimensionId as string, 'input.dimensionId');
    if (existing && existing.icpId !== dimension.icpId) {
      throw ValidationError.one('input.dimensionId', `scoring dimension ${dimension.id} belongs to another ICP`);
    }
    next.icpId = dimension.icpId;
    next.condition = (next.condition as string | undefined)?.trim() || 'true';
    await assertExpressions(ctx, [
      { path: 'input.condition', expression: next.condition as string, expect: 'bool' },
      { path: 'input.points', expression: next.points as string, expect: 'number' },
    ]);
  },
});

export const actionBandService = new CrudService<ActionBand>({
  ...icpChild<ActionBand>(),
  positionScope: undefined,
  entity: ActionBand,
  label: 'action band',
  input: ActionBandInput,
  searchable: ['name', 'action'],
  sortable: ['minScore', 'name', 'createdAt', 'updatedAt'],
  defaultSort: { minScore: 'DESC' },
});
