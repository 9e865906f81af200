import { ActionBand, ScoringDimension, ScoringRule } from './scoring-model.entity';
import * as r from './scoring-model.resolver';
import { actionBandService, scoringDimensionService, scoringRuleService } from './scoring-model.service';

export { ActionBand, ScoringDimension, ScoringRule } from './scoring-model.entity';
export { actionBandService, scoringDimensionService, scoringRuleService } from './scoring-model.service';
export const scoringModule = {
  entities: [ScoringDimension, ScoringRule, ActionBand],
  services: [actionBandService, scoringDimensionService, scoringRuleService],
  resolvers: [
    ...r.ScoringDimensionCrudResolver,
    ...r.ScoringRuleCrudResolver,
    ...r.ActionBandCrudResolver,
    r.ScoringDimensionFieldsResolver,
    r.ScoringRuleFieldsResolver,
    ...r.scoringIcpResolvers,
  ],
};
