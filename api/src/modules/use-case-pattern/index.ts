import { UseCasePattern } from './use-case-pattern.entity';
import { UseCasePatternCrudResolver, UseCasePatternFieldsResolver } from './use-case-pattern.resolver';

export { UseCasePattern, PatternKind } from './use-case-pattern.entity';
export { useCasePatternService } from './use-case-pattern.service';
export const useCasePatternModule = {
  entities: [UseCasePattern],
  resolvers: [...UseCasePatternCrudResolver, UseCasePatternFieldsResolver],
};
