import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { ForbiddenError } from '../graphql/errors';
import { Role, ROLES } from './roles';

/**
 * Authorization in one place: every root field of the schema has a rule
 * here, checked once the operation is known and before any resolver runs.
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

const DRAFT_TYPES = ['AttributeDefinition', 'Icp', 'Tier', 'Persona', 'UseCasePattern', 'Disqualifier', 'TriggerEvent', 'ScoringDimension', 'ScoringRule', 'ActionBand', 'ExampleAccount'];

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
};

/** May this role change records of this type (through any verb, the generic ones included)? */
export function mayWrite(entityType: string, role: Role): boolean {
  return ENTITY_ACCESS[entityType]?.write.includes(role) ?? false;
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
  const no = ctx.principal ? writeDenial(verb, entityType, ctx.principal.role) : `Sign in to ${verb} ${entityType} records`;
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
  ['me', 'signedIn'],
  ...Object.entries(ENTITY_ACCESS).flatMap(([type, a]) => derived(type, a)),
  ['icpBySlug', READ],
  ['checkIcp', READ],
  ['checkExpression', READ],
  ['simulateIcp', READ],
  ['icpDiff', READ],
  ['publishIcp', EDIT],
  ['revertIcpToVersion', PART_WRITERS],
  ['exportIcp', READ],
  ['importIcp', PART_WRITERS],
  // Generic: each record's type is then checked with mayWrite.
  ['revertRecord', ANY_WRITER],
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
  ['createApiKey', ENTITY_ACCESS.ApiKey.write],
  ['revokeApiKey', ENTITY_ACCESS.ApiKey.write],
  // Invitations: admins invite, list and revoke; the invited person accepts (signed in, or creating their account).
  ['inviteUser', MANAGE],
  ['revokeInvitation', MANAGE],
  ['acceptInvitation', 'public'],
  ['myInvitations', 'signedIn'],
  ['acceptMyInvitation', 'signedIn'],
]);

/** Fields a client may not read even where it reaches them: they resolve to draft data. */
export const DRAFT_FIELDS = new Set(['Persona.icp', 'Persona.tier', 'UseCasePattern.icp']);

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  /** Fields selected in one operation (a simple cost). */
  maxFields: number;
  maxAccounts: number;
}

export const LIMITS: Limits = { maxDepth: 12, maxAliases: 30, maxFields: 1000, maxAccounts: 10_000 };

const refuse = (message: string, code: string, status: number) => new GraphQLError(message, { extensions: { code, http: { status } } });

/** May this principal (null: anonymous) use this root field? Returns the reason when not. */
export function denial(field: string, role: Role | null): { message: string; code: string; status: number } | null {
  const access = POLICY[field];
  if (access === undefined) return { message: `"${field}" has no access rule, so nobody may use it`, code: 'FORBIDDEN', status: 403 };
  if (access === 'public') return null;
  if (!role) return { message: `Sign in to use "${field}" (mutation login, then Authorization: Bearer <token>)`, code: 'UNAUTHENTICATED', status: 401 };
  if (access === 'signedIn' || access.includes(role)) return null;
  return { message: `Your role ${role} may not use "${field}"`, code: 'FORBIDDEN', status: 403 };
}

function rootFields(op: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (fragments[sel.name.value]) walk(fragments[sel.name.value].selectionSet);
    }
  };
  walk(op.selectionSet);
  return out;
}

interface Shape {
  rootFields: string[];
  /** Draft fields the operation selects (refused to clients). */
  draftFields: string[];
  /** A limit the operation breaks, in words. */
  problem?: string;
}

// Apollo hands the same parsed document to every request with the same query text: analyse it once.
const shapes = new WeakMap<object, Map<string, Shape>>();

function analyse(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, limits: Limits): Shape {
  let byOp = shapes.get(document);
  if (!byOp) shapes.set(document, (byOp = new Map()));
  const key = operation.name?.value ?? '';
  const cached = byOp.get(key);
  if (cached) return cached;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const typeInfo = new TypeInfo(schema);
  let depth = 0;
  let maxDepth = 0;
  let aliases = 0;
  let fields = 0;
  let longList = 0;
  const draftFields: string[] = [];
  visit(
    operation,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          fields++;
          if (node.alias) aliases++;
          const parent = typeInfo.getParentType()?.name;
          if (parent && DRAFT_FIELDS.has(`${parent}.${node.name.value}`)) draftFields.push(`${parent}.${node.name.value}`);
        },
      },
      SelectionSet: {
        enter() {
          maxDepth = Math.max(maxDepth, ++depth);
        },
        leave() {
          depth--;
        },
      },
      ListValue(node) {
        longList = Math.max(longList, node.values.length);
      },
      FragmentSpread(node) {
        // Fragments count where they are spread.
        const f = fragments[node.name.value];
        if (f) fields += f.selectionSet.selections.length;
      },
    }),
  );
  let problem: string | undefined;
  if (maxDepth > limits.maxDepth) problem = `The query is ${maxDepth} levels deep; at most ${limits.maxDepth} are allowed`;
  else if (aliases > limits.maxAliases) problem = `The query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`;
  else if (fields > limits.maxFields) problem = `The query selects ${fields} fields; at most ${limits.maxFields} are allowed`;
  else if (longList > limits.maxAccounts) problem = `A list of ${longList} items; at most ${limits.maxAccounts} are allowed`;
  const shape = { rootFields: rootFields(operation, fragments), draftFields, problem };
  if (byOp.size < 100) byOp.set(key, shape);
  return shape;
}

/**
 * The Apollo plugin that enforces POLICY, DRAFT_FIELDS and LIMITS after
 * validation and before execution: a refused request runs no resolver and no
 * query.
 */
export function authorizationPlugin(limits: Limits = LIMITS): ApolloServerPlugin<RequestContext> {
  // One listener object for every request (nothing per request to allocate).
  const listener: GraphQLRequestListener<RequestContext> = {
    async didResolveOperation({ operation, document, schema, contextValue, request }) {
      if (!operation) return;
      const role = contextValue.principal?.role ?? null;
      const shape = analyse(document, operation, schema, limits);
      for (const field of shape.rootFields) {
        if (field === '__typename' || field === '__schema' || field === '__type') continue;
        const no = denial(field, role);
        if (no) throw refuse(no.message, no.code, no.status);
      }
      if (role === Role.CLIENT && shape.draftFields.length) {
        throw refuse(`Your role CLIENT may not read "${shape.draftFields[0]}": it is draft data`, 'FORBIDDEN', 403);
      }
      if (shape.problem) throw refuse(shape.problem, 'BAD_USER_INPUT', 400);
      // The list of accounts is counted before it is coerced or scored.
      for (const value of Object.values(request.variables ?? {})) {
        if (Array.isArray(value) && value.length > limits.maxAccounts) {
          throw refuse(`accounts: at most ${limits.maxAccounts} accounts per call (got ${value.length}); split the list into several calls`, 'BAD_USER_INPUT', 400);
        }
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
