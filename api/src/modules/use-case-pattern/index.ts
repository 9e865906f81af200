import { UseCasePattern } from './use-case-pattern.entity';
import { UseCasePatternCrudResolver, UseCasePatternFieldsResolver } from './use-case-pattern.resolver';
import { useCasePatternService } from './use-case-pattern.service';

export { UseCasePattern, PatternKind } from './use-case-pattern.entity';
export { useCasePatternService } from './use-case-pattern.service';
export const useCasePatternModule = {
  entities: [UseCasePattern],
  services: [useCasePatternService],
  resolvers: [...UseCasePatternCrudResolver, UseCasePatternFieldsResolver],
};
