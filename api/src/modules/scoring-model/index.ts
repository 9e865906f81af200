import { ActionBand, ScoringDimension, ScoringRule } from './scoring.entity';
import * as r from './scoring.resolver';

export { ActionBand, ScoringDimension, ScoringRule } from './scoring.entity';
export { actionBandService, scoringDimensionService, scoringRuleService } from './scoring.service';
export const scoringModule = {
  entities: [ScoringDimension, ScoringRule, ActionBand],
  resolvers: [
    ...r.ScoringDimensionCrudResolver,
    ...r.ScoringRuleCrudResolver,
    ...r.ActionBandCrudResolver,
    r.ScoringDimensionFieldsResolver,
    r.ScoringRuleFieldsResolver,
    ...r.scoringIcpResolvers,
  ],
};
