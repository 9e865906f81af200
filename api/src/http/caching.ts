import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { isUuid } from '../core/inputs';

/**
 * HTTP caching of GraphQL GET reads, one mechanism in two steps: the plugin
 * below decides from the operation whether its answer can change, and
 * `sendWithValidator` (called by graphql/http-handler.ts, which holds the
 * serialized body) adds a strong ETag and answers If-None-Match with a 304.
 *
 * Only a numbered published version is cached: `icpVersion`, `fitScore` and
 * `fitScores` with `version: N`, selecting only what comes from the published
 * snapshot and the request's own arguments. Everything else is `no-store`
 * (security.ts sets it on every /graphql response; this plugin overrides it).
 *
 * `private`, not `public`: every answer is read in the caller's workspace, and
 * what a shared cache keeps it serves to whoever sends the same URL: with
 * `public` and `Vary: Authorization`, a CDN would still answer a revoked key or
 * an ended session for as long as max-age (a year). A private cache is the
 * caller's own: it only holds what that caller already read. `Vary` names the
 * headers that choose the principal and workspace, so a browser shared by two
 * users never gives one the other's copy.
 *
 * By id the version is immutable (an ICP with published versions cannot be
 * deleted, and versions are never rewritten): a year, `immutable`. By slug
 * the same URL can mean another ICP after a rename, so the client revalidates
 * each time (`no-cache`): the ETag then saves the body (304).
 */

export const IMMUTABLE = 'private, max-age=31536000, immutable';
export const REVALIDATE = 'private, no-cache';
export const NO_STORE = 'no-store';
// The principal and workspace, and the content type Apollo picks from Accept.
const VARY = 'Accept, Authorization, Cookie, X-Workspace';

/** Root fields that read one published version when given `version`; `icp` is an id or a slug. */
const VERSION_READS = new Set(['icpVersion', 'fitScore', 'fitScores']);

/**
 * Types whose every field comes from the published snapshot (and the request's
 * arguments) only. A new field on one of them must be checked before it is
 * added: caching.spec.ts pins their fields. A field reaching any other type (a
 * draft entity such as Persona, whose fields load live rows) is not cached.
 */
export const PUBLISHED_TYPES = [
  'PublishedIcp',
  'PublishedAttribute',
  'PublishedTier',
  'PublishedPersona',
  'PublishedUseCasePattern',
  'PublishedDisqualifier',
  'PublishedTriggerEvent',
  'PublishedScoringDimension',
  'PublishedScoringRule',
  'PublishedActionBand',
  'PublishedExampleAccount',
];
export const SNAPSHOT_TYPES = new Set([
  'IcpVersion',
  'FitScore',
  'DimensionScore',
  'RuleHit',
  'ScoreBand',
  'ScoreCheck',
  'TierMatch',
  'TierRef',
  'ConditionResult',
  'Provenance',
  // The parts of a published version (versioning/published.ts builds each from the stored snapshot).
  ...PUBLISHED_TYPES,
]);
/** Fields of those types that read live data: the ICP's current slug, a published part's current draft record. */
export const LIVE_FIELDS = new Set(['FitScore.icpSlug', ...PUBLISHED_TYPES.map((t) => `${t}.draft`)]);

type Variables = Record<string, unknown> | undefined;

function argument(field: FieldNode, name: string, variables: Variables): unknown {
  const value: ValueNode | undefined = field.arguments?.find((a) => a.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.VARIABLE) return variables?.[value.name.value];
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.STRING) return value.value;
  return undefined;
}

/** Whether every field selected under `type` comes from the snapshot. */
function fromSnapshot(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === '__typename') continue;
      const name = `${type.name}.${s.name.value}`;
      const def = type.getFields()[s.name.value];
      if (!def || !SNAPSHOT_TYPES.has(type.name) || LIVE_FIELDS.has(name)) return false;
      const inner = getNamedType(def.type);
      if (isLeafType(inner)) continue;
      if (!isObjectType(inner) || !s.selectionSet) return false;
      if (!fromSnapshot(schema, inner, s.selectionSet, fragments, seen)) return false;
    } else {
      // A named fragment has one type condition, which must be `type`: once checked, it holds wherever it is spread.
      if (s.kind === Kind.FRAGMENT_SPREAD && seen.has(s.name.value)) continue;
      if (s.kind === Kind.FRAGMENT_SPREAD) seen.add(s.name.value);
      const fragment = s.kind === Kind.INLINE_FRAGMENT ? s : fragments.get(s.name.value);
      if (!fragment) return false;
      const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (on !== type || !fromSnapshot(schema, type, fragment.selectionSet, fragments, seen)) return false;
    }
  }
  return true;
}

/** The Cache-Control for a successful GET of this document, given its variables. */
export function cachePolicy(schema: GraphQLSchema, document: DocumentNode, variables: Variables): string {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || operation.operation !== OperationTypeNode.QUERY) return NO_STORE;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const query = schema.getQueryType()!;
  let policy = IMMUTABLE;
  for (const root of operation.selectionSet.selections) {
    // Root fields one by one (a fragment at the root is rare enough not to be cached).
    if (root.kind !== Kind.FIELD || !VERSION_READS.has(root.name.value) || !root.selectionSet) return NO_STORE;
    const version = argument(root, 'version', variables);
    const icp = argument(root, 'icp', variables);
    if (typeof version !== 'number' || typeof icp !== 'string') return NO_STORE;
    const type = getNamedType(query.getFields()[root.name.value].type) as GraphQLObjectType;
    if (!fromSnapshot(schema, type, root.selectionSet, fragments, new Set())) return NO_STORE;
    if (!isUuid(icp)) policy = REVALIDATE;
  }
  return policy;
}

/** Cache-Control on GET answers without errors (POSTs keep no-store, set for every /graphql response). */
const listener: GraphQLRequestListener<object> = {
  async willSendResponse({ request, response, document, schema }) {
    const body = response.body;
    if (!document || body.kind !== 'single' || body.singleResult.errors || (response.http.status ?? 200) !== 200)
      return;
    const policy = cachePolicy(schema, document, request.variables);
    if (policy === NO_STORE) return;
    response.http.headers.set('cache-control', policy);
    response.http.headers.set('vary', VARY);
  },
};

export const httpCachePlugin: ApolloServerPlugin<object> = {
  async requestDidStart({ request }) {
    return request.http?.method === 'GET' ? listener : undefined;
  },
};

/**
 * Sends a complete body; for a cacheable GET 200, with a strong ETag (SHA-256
 * of the body), or a bodiless 304 when the client's If-None-Match has it.
 */
export function sendWithValidator(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const policy = res.getHeader('cache-control');
  if (req.method !== 'GET' || res.statusCode !== 200 || policy === NO_STORE || policy === undefined) {
    res.end(body);
    return;
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  res.setHeader('etag', etag);
  // If-None-Match uses the weak comparison: a W/ prefix still matches.
  const wanted = req.headers['if-none-match'];
  if (wanted && (wanted.trim() === '*' || wanted.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) {
    res.statusCode = 304;
    res.removeHeader('content-type');
    res.removeHeader('content-length');
    res.end();
    return;
  }
  res.end(body);
}
