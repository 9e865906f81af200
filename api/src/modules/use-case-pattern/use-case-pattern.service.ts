import { CrudService } from '../../core/crud.service';
import { icpChild } from '../shared/icp-child';
import { PatternKind, UseCasePattern } from './use-case-pattern.entity';
import { UseCasePatternInput } from './use-case-pattern.inputs';

export const useCasePatternService = new CrudService<UseCasePattern>({
  ...icpChild<UseCasePattern>(),
  entity: UseCasePattern,
  label: 'use-case pattern',
  input: UseCasePatternInput,
  searchable: ['name', 'industry', 'description'],
  sortable: ['position', 'name', 'kind', 'industry', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  beforeWrite: async (_ctx, next) => {
    next.kind ??= PatternKind.INDUSTRY;
  },
});
