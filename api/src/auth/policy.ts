import type { RequestContext } from '../core/context';
import { ForbiddenError } from '../core/errors';
import { partTypes } from '../modules/icp/icp-parts';
import { Role, ROLES } from './roles';

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

type Verb = 'create' | 'update' | 'delete';
const ALL_VERBS: Verb[] = ['create', 'update', 'delete'];

/**
 * Who may read and who may change each entity type: the root rules of its
 * generated operations (`x`, `xs`, `xCount`, `createX`, `updateX`, `deleteX`)
 * derive from it, and the generic verbs (revert, restore, import, revert to a
 * version) ask `mayWrite` for the type they touch. A type not listed here
 * (IcpVersion, SignIn), or listed with no writer, is changed by no generic verb.
 */
export interface EntityAccess {
  read: Role[];
  write: Role[];
  /** The generated write operations that exist for it (others are specific verbs, or none). */
  verbs: Verb[];
}

/** The ICP, its parts (modules/icp/icp-parts.ts) and the catalogue its expressions use: what strategy owners edit. */
const DRAFT_TYPES = ['AttributeDefinition', 'Icp', ...partTypes()];

export const ENTITY_ACCESS: Record<string, EntityAccess> = {
  // Drafts: strategy owners edit, auditors read
  ...Object.fromEntries(DRAFT_TYPES.map((type) => [type, { read: READ, write: EDIT, verbs: ALL_VERBS }])),
  // Workspaces, roles and keys: admins manage, auditors read
  Workspace: { read: READ, write: MANAGE, verbs: ALL_VERBS },
  // Memberships come from invitations and workspace creation; admins change a role or remove a member.
  Membership: { read: READ, write: MANAGE, verbs: ['update', 'delete'] },
  // Keys are issued and revoked by their own verbs (createApiKey, revokeApiKey).
  ApiKey: { read: READ, write: MANAGE, verbs: [] },
  // A user is global: no workspace's role changes their record (they join and leave through memberships).
  AppUser: { read: READ, write: [], verbs: [] },
  // Admins list them; they change only through their own verbs (inviteUser, revokeInvitation, acceptInvitation).
  Invitation: { read: MANAGE, write: [], verbs: [] },
  // Admins only: a webhook sends the workspace's events out. Created by createWebhook (its secret, once).
  Webhook: { read: MANAGE, write: MANAGE, verbs: ['update', 'delete'] },
};

/** May this role change records of this type (through any verb, the generic ones included)? */
export function mayWrite(entityType: string, role: Role): boolean {
  return ENTITY_ACCESS[entityType]?.write.includes(role) ?? false;
}

/** The record types a role may not read (their history included). */
export function unreadableTypes(role: Role): string[] {
  return Object.entries(ENTITY_ACCESS)
    .filter(([, access]) => !access.read.includes(role))
    .map(([type]) => type);
}

/** Why a generic verb may not change records of this type for this role; null when it may. */
export function writeDenial(verb: string, entityType: string, role: Role): string | null {
  if (mayWrite(entityType, role)) return null;
  const writers = ENTITY_ACCESS[entityType]?.write ?? [];
  if (!writers.length) return `${entityType} records cannot be changed by ${verb}: no role may change them that way`;
  return `Your role ${role} may not ${verb} ${entityType} records: that needs what updating them needs (${writers.join(' or ')})`;
}

/**
 * The check every generic verb makes for each record type it touches. A
 * context without a principal is the system itself (bootstrap, demo loader).
 */
export function assertMayWrite(ctx: RequestContext, verb: string, entityType: string): void {
  if (ctx.principal === undefined) return;
  const no = ctx.principal
    ? writeDenial(verb, entityType, ctx.principal.role)
    : `Sign in to ${verb} ${entityType} records`;
  if (no) throw new ForbiddenError(no);
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);
const derived = (type: string, a: EntityAccess): [string, Access][] => [
  [lowerFirst(type), a.read],
  [`${lowerFirst(type)}s`, a.read],
  [`${lowerFirst(type)}Count`, a.read],
  ...a.verbs.map((verb): [string, Access] => [`${verb}${type}`, a.write]),
];
/** Every role that may change some type: the generic verbs then ask per type. */
const ANY_WRITER = ROLES.filter((role) => Object.values(ENTITY_ACCESS).some((a) => a.write.includes(role)));
/** Whole-ICP generic verbs (import, revert to a version) write every part type. */
const PART_WRITERS = ROLES.filter((role) => DRAFT_TYPES.every((type) => mayWrite(type, role)));

export const POLICY: Record<string, Access> = Object.fromEntries([
  // Anyone
  ['login', 'public'],
  ['logout', 'public'],
  ['me', 'signedIn'],
  ['myPermissions', 'signedIn'],
  ['changePassword', 'signedIn'],
  ...Object.entries(ENTITY_ACCESS).flatMap(([type, a]) => derived(type, a)),
  ['icpBySlug', READ],
  ['checkIcp', READ],
  ['checkExpression', READ],
  ['simulateIcp', READ],
  ['icpDiff', READ],
  ['icpChanges', READ],
  ['publishIcp', EDIT],
  ['revertIcpToVersion', PART_WRITERS],
  ['exportIcp', READ],
  ['importIcp', PART_WRITERS],
  // Generic: each record's type is then checked with mayWrite.
  ['revertRecord', ANY_WRITER],
  // History: everyone but clients reads it; nobody writes it directly
  ['history', READ],
  ['historyCount', READ],
  ['historyEntityTypes', READ],
  ['recordAsOf', READ],
  ['verifyHistory', READ],
  ['historyCheckpoint', READ],
  ['historyPublicKeys', READ],
  ['exportHistory', READ],
  // Scores and published versions: client tools too
  ['fitScore', SCORE],
  ['fitScores', SCORE],
  ['scoringAttributes', SCORE],
  ['icpVersions', SCORE],
  ['icpVersion', SCORE],
  ['exportIcpSql', SCORE],
  ['createApiKey', ENTITY_ACCESS.ApiKey.write],
  ['revokeApiKey', ENTITY_ACCESS.ApiKey.write],
  // Invitations: admins invite, list and revoke; the invited person accepts (signed in, or creating their account).
  ['inviteUser', MANAGE],
  ['revokeInvitation', MANAGE],
  ['acceptInvitation', 'public'],
  ['myInvitations', 'signedIn'],
  ['acceptMyInvitation', 'signedIn'],
  ['createWebhook', ENTITY_ACCESS.Webhook.write],
  ['webhookDeliveries', ENTITY_ACCESS.Webhook.read],
  ['redeliverWebhook', ENTITY_ACCESS.Webhook.write],
]);

/** What a role may do: per entity type, and every root field its rule admits (the console's view of this policy). */
export function permissionsOf(role: Role): {
  role: Role;
  entities: { type: string; read: boolean; write: boolean }[];
  operations: string[];
} {
  return {
    role,
    entities: Object.entries(ENTITY_ACCESS).map(([type, a]) => ({
      type,
      read: a.read.includes(role),
      write: a.write.includes(role),
    })),
    operations: Object.keys(POLICY)
      .filter((field) => !denial(field, role))
      .sort(),
  };
}

/**
 * Who may read a field below the root: a field that resolves to records of an
 * entity type (`PublishedPersona.draft` → Persona) needs that type's read
 * access, wherever it is reached. null: no rule of its own. A role that
 * reaches such a field without that access is refused it field by field, the
 * rest of the operation answered (auth/field-guard.ts).
 */
export function nestedFieldAccess(returnType: string): Role[] | null {
  return ENTITY_ACCESS[returnType]?.read ?? null;
}

/** Why this role (null: anonymous) may not read this nested field (`Type.field`), whose readers are `access`; null when it may. */
export function fieldDenial(
  field: string,
  access: Role[],
  role: Role | null,
): { message: string; code: 'FORBIDDEN' | 'UNAUTHENTICATED' } | null {
  if (role && access.includes(role)) return null;
  const who = access.join(', ').replace(/, ([^,]*)$/, ' or $1');
  return role
    ? { message: `Your role ${role} may not read "${field}": it needs ${who}`, code: 'FORBIDDEN' }
    : { message: `Sign in to read "${field}" (it needs ${who})`, code: 'UNAUTHENTICATED' };
}

/** May this principal (null: anonymous) use this root field? Returns the reason when not. */
export function denial(field: string, role: Role | null): { message: string; code: string; status: number } | null {
  const access = POLICY[field];
  if (access === undefined)
    return { message: `"${field}" has no access rule, so nobody may use it`, code: 'FORBIDDEN', status: 403 };
  if (access === 'public') return null;
  if (!role)
    return {
      message: `Sign in to use "${field}" (mutation login, then Authorization: Bearer <token>)`,
      code: 'UNAUTHENTICATED',
      status: 401,
    };
  if (access === 'signedIn' || access.includes(role)) return null;
  return { message: `Your role ${role} may not use "${field}"`, code: 'FORBIDDEN', status: 403 };
}
