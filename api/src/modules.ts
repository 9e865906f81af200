import { attributeModule } from './modules/attribute';
import { disqualifierModule } from './modules/disqualifier';
import { exampleAccountModule } from './modules/example-account';
import { icpFileModule } from './modules/icp-file';
import { icpModule } from './modules/icp';
import { personaModule } from './modules/persona';
import { scoringModule } from './modules/scoring-model';
import { tierModule } from './modules/tier';
import { triggerEventModule } from './modules/trigger-event';
import { useCasePatternModule } from './modules/use-case-pattern';
import { workspaceModule } from './modules/workspace';
import { userModule } from './modules/user';
import { membershipModule } from './modules/membership';
import { apiKeyModule } from './modules/api-key';
import { invitationModule } from './modules/invitation';
import { authModule } from './auth';
import { versioningModule } from './versioning';
import { fitScoreModule } from './fit-score';

/** The registry: every module declares its entities and resolvers once, here. */
const MODULES: { entities: Function[]; resolvers: Function[] }[] = [
  workspaceModule,
  attributeModule,
  icpModule,
  tierModule,
  personaModule,
  useCasePatternModule,
  disqualifierModule,
  triggerEventModule,
  scoringModule,
  exampleAccountModule,
  icpFileModule,
  versioningModule,
  fitScoreModule,
  userModule,
  membershipModule,
  apiKeyModule,
  invitationModule,
  authModule,
];

export const ENTITIES = MODULES.flatMap((m) => m.entities);
export const RESOLVERS = MODULES.flatMap((m) => m.resolvers) as unknown as [Function, ...Function[]];
