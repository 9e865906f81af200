import { crudResolver } from '../../graphql/crud.resolver';
import { icpParentResolver } from '../shared/icp-child';
import { UseCasePattern } from './use-case-pattern.entity';
import { UseCasePatternFilter } from './use-case-pattern.inputs';
import { useCasePatternService } from './use-case-pattern.service';

export const UseCasePatternCrudResolver = crudResolver({
  type: UseCasePattern,
  plural: 'useCasePatterns',
  filter: UseCasePatternFilter,
  service: useCasePatternService,
});
export const UseCasePatternFieldsResolver = icpParentResolver(UseCasePattern);
