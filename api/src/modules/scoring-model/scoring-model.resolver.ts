import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { icpParentResolver } from '../shared/icp-child';
import { ActionBand, ScoringDimension, ScoringRule } from './scoring-model.entity';
import { ActionBandFilter, ScoringDimensionFilter, ScoringRuleFilter } from './scoring-model.inputs';
import { actionBandService, scoringDimensionService, scoringRuleService } from './scoring-model.service';

export const ScoringDimensionCrudResolver = crudResolver({
  type: ScoringDimension,
  plural: 'scoringDimensions',
  filter: ScoringDimensionFilter,
  service: scoringDimensionService,
});
export const ScoringRuleCrudResolver = crudResolver({
  type: ScoringRule,
  plural: 'scoringRules',
  filter: ScoringRuleFilter,
  service: scoringRuleService,
});
export const ActionBandCrudResolver = crudResolver({
  type: ActionBand,
  plural: 'actionBands',
  filter: ActionBandFilter,
  service: actionBandService,
});

@Resolver(() => ScoringDimension)
export class ScoringDimensionFieldsResolver {
  @FieldResolver(() => [ScoringRule], { description: 'Its rules, in order.' })
  rules(@Root() d: ScoringDimension, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(ScoringRule, 'dimensionId').load(d.id);
  }
}

@Resolver(() => ScoringRule)
export class ScoringRuleFieldsResolver {
  @FieldResolver(() => ScoringDimension, { description: 'The dimension the rule adds to.' })
  dimension(@Root() r: ScoringRule, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(ScoringDimension).load(r.dimensionId);
  }
}

export const scoringIcpResolvers = [
  icpParentResolver(ScoringDimension),
  icpParentResolver(ScoringRule),
  icpParentResolver(ActionBand),
];
