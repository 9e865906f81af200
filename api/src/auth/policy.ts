import { Role } from './roles';

/**
 * Authorization in one place: every root field of the schema has a rule
 * here, checked once the operation is known and before any resolver runs
 * (auth/operation-guard.ts).
 * A root field without a rule is refused (and fails the matrix test).
 */
export type Access = 'public' | 'signedIn' | Role[];

const { ADMIN, STRATEGY_OWNER, AUDITOR, CLIENT } = Role;
const READ: Role[] = [ADMIN, STRATEGY_OWNER, AUDITOR];
const EDIT: Role[] = [ADMIN, STRATEGY_OWNER];
const SCORE: Role[] = [ADMIN, STRATEGY_OWNER, AUDITOR, CLIENT];
const MANAGE: Role[] = [ADMIN];

const reads = (one: string, plural: string, roles = READ): [string, Access][] => [
  [one, roles],
  [plural, roles],
  [`${one}Count`, roles],
];
const writes = (type: string, roles = EDIT): [string, Access][] => ['create', 'update', 'delete'].map((verb) => [`${verb}${type}`, roles]);

const DRAFT: [string, string, string][] = [
  ['attributeDefinition', 'attributeDefinitions', 'AttributeDefinition'],
  ['icp', 'icps', 'Icp'],
  ['tier', 'tiers', 'Tier'],
  ['persona', 'personas', 'Persona'],
  ['useCasePattern', 'useCasePatterns', 'UseCasePattern'],
  ['disqualifier', 'disqualifiers', 'Disqualifier'],
  ['triggerEvent', 'triggerEvents', 'TriggerEvent'],
  ['scoringDimension', 'scoringDimensions', 'ScoringDimension'],
  ['scoringRule', 'scoringRules', 'ScoringRule'],
  ['actionBand', 'actionBands', 'ActionBand'],
  ['exampleAccount', 'exampleAccounts', 'ExampleAccount'],
];

export const POLICY: Record<string, Access> = Object.fromEntries([
  // Anyone
  ['login', 'public'],
  ['logout', 'public'],
  ['me', 'signedIn'],
  ['changePassword', 'signedIn'],
  // Drafts: strategy owners edit, auditors read
  ...DRAFT.flatMap(([one, plural, type]) => [...reads(one, plural), ...writes(type)]),
  ['icpBySlug', READ],
  ['checkIcp', READ],
  ['checkExpression', READ],
  ['simulateIcp', READ],
  ['icpDiff', READ],
  ['publishIcp', EDIT],
  ['revertIcpToVersion', EDIT],
  ['exportIcp', READ],
  ['importIcp', EDIT],
  ['revertRecord', EDIT],
  // History: everyone but clients reads it; nobody writes it directly
  ['history', READ],
  ['historyCount', READ],
  ['recordAsOf', READ],
  ['verifyHistory', READ],
  ['exportHistory', READ],
  // Scores and published versions: client tools too
  ['fitScore', SCORE],
  ['fitScores', SCORE],
  ['icpVersions', SCORE],
  ['icpVersion', SCORE],
  // Workspaces, users, roles and keys: admins manage, auditors read
  ...reads('workspace', 'workspaces'),
  ...writes('Workspace', MANAGE),
  ...reads('appUser', 'appUsers'),
  ...writes('AppUser', MANAGE),
  ...reads('membership', 'memberships'),
  ...writes('Membership', MANAGE),
  ...reads('apiKey', 'apiKeys'),
  ['createApiKey', MANAGE],
  ['revokeApiKey', MANAGE],
]);

/** Fields a client may not read even where it reaches them: they resolve to draft data. */
export const DRAFT_FIELDS = new Set(['Persona.icp', 'Persona.tier', 'UseCasePattern.icp']);

/** May this principal (null: anonymous) use this root field? Returns the reason when not. */
export function denial(field: string, role: Role | null): { message: string; code: string; status: number } | null {
  const access = POLICY[field];
  if (access === undefined) return { message: `"${field}" has no access rule, so nobody may use it`, code: 'FORBIDDEN', status: 403 };
  if (access === 'public') return null;
  if (!role) return { message: `Sign in to use "${field}" (mutation login, then Authorization: Bearer <token>)`, code: 'UNAUTHENTICATED', status: 401 };
  if (access === 'signedIn' || access.includes(role)) return null;
  return { message: `Your role ${role} may not use "${field}"`, code: 'FORBIDDEN', status: 403 };
}
