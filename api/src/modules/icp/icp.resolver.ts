import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { crudResolver } from '../../graphql/crud.resolver';
import type { RequestContext } from '../../core/context';
import { Disqualifier } from '../disqualifier/disqualifier.entity';
import { ExampleAccount } from '../example-account/example-account.entity';
import { Persona } from '../persona/persona.entity';
import { ActionBand, ScoringDimension, ScoringRule } from '../scoring-model/scoring-model.entity';
import { Tier } from '../tier/tier.entity';
import { TriggerEvent } from '../trigger-event/trigger-event.entity';
import { UseCasePattern } from '../use-case-pattern/use-case-pattern.entity';
import { Icp } from './icp.entity';
import { IcpFilter, IcpInput } from './icp.inputs';
import { icpService } from './icp.service';

export const IcpCrudResolver = crudResolver({
  type: Icp,
  plural: 'icps',
  input: IcpInput,
  filter: IcpFilter,
  service: icpService,
});

@Resolver(() => Icp)
export class IcpFieldsResolver {
  @Query(() => Icp, { description: 'One ICP by id or slug.' })
  icpBySlug(@Ctx() ctx: RequestContext, @Arg('idOrSlug') idOrSlug: string): Promise<Icp> {
    return icpService.byIdOrSlug(ctx, idOrSlug);
  }

  @FieldResolver(() => [Tier], { description: 'Tiers or segments, best rank first.' })
  tiers(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(Tier, 'icpId', { rank: 'ASC' }).load(icp.id);
  }

  @FieldResolver(() => [Persona])
  personas(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(Persona, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [UseCasePattern])
  useCasePatterns(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(UseCasePattern, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [Disqualifier])
  disqualifiers(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(Disqualifier, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [TriggerEvent])
  triggerEvents(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(TriggerEvent, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [ScoringDimension], {
    description: 'The scoring model: dimensions, each with its rules and a maximum.',
  })
  scoringDimensions(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(ScoringDimension, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [ScoringRule])
  scoringRules(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(ScoringRule, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [ExampleAccount], {
    description: 'Accounts with the outcome they must get; all must pass to publish.',
  })
  exampleAccounts(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(ExampleAccount, 'icpId').load(icp.id);
  }

  @FieldResolver(() => [ActionBand], { description: 'Action bands, highest minScore first.' })
  bands(@Root() icp: Icp, @Ctx() ctx: RequestContext) {
    return ctx.loaders.children(ActionBand, 'icpId', { minScore: 'DESC' }).load(icp.id);
  }
}
