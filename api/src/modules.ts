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
import { webhookModule } from './modules/webhook';
import { authModule } from './auth';
import { versioningModule } from './versioning';
import { fitScoreModule } from './fit-score';
import type { EntityService } from './core/crud.service';
import { EntityRegistry } from './core/entity-registry';

/** What a module declares: its stored entities, its generic services (one per entity type it edits), its resolvers. */
interface ModuleDeclaration {
  entities: Function[];
  services?: EntityService[];
  resolvers: Function[];
}

/** Every module but versioning, which works across their types. */
const DOMAIN: ModuleDeclaration[] = [
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
  fitScoreModule,
  userModule,
  membershipModule,
  apiKeyModule,
  invitationModule,
  webhookModule,
  authModule,
];

/**
 * The entity registry: every generic service by its type name, for the verbs
 * that work across types (revert, restore, revert an ICP to a version). It
 * reaches them through the request context (`ctx.registry`).
 */
export const REGISTRY = new EntityRegistry(DOMAIN.flatMap((m) => m.services ?? []));

/** The registry of modules: every module declares its entities and resolvers once, here. */
const MODULES: ModuleDeclaration[] = [...DOMAIN, versioningModule(REGISTRY)];

export const ENTITIES = MODULES.flatMap((m) => m.entities);
export const RESOLVERS = MODULES.flatMap((m) => m.resolvers) as unknown as [Function, ...Function[]];
