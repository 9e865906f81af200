import { DraftResolver } from './draft.resolver';
import { FitScoreResolver } from './fit-score.resolver';

export const fitScoreModule = { entities: [] as Function[], resolvers: [FitScoreResolver, DraftResolver] };
