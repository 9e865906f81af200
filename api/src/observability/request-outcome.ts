import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { OperationStanding } from './metrics';

/**
 * What one /graphql request did, for its log line and its metrics: filled as
 * the request goes (the principal by authentication, the operation and the
 * error codes by the plugin below) and read once the response is sent.
 */
export interface GraphqlOutcome {
  /** The operation's name as the document gives it; undefined for an anonymous or unparsable one. */
  operation?: string;
  /** The codes of the errors the client received (extensions.code), in order. */
  codes?: string[];
  /** Who asked: null for anonymous, undefined when authentication did not finish. */
  principal?: { id: string; kind: string; workspaceId: string } | null;
  /** The operation was parsed, validated and found in the document (Apollo's didResolveOperation). */
  resolved?: boolean;
}

/** The outcome carried by the request context (shared by every copy of it). */
export interface HasOutcome {
  outcome?: GraphqlOutcome;
}

// One listener object for every request (nothing per request to allocate).
const listener: GraphQLRequestListener<HasOutcome> = {
  async didResolveOperation({ contextValue }) {
    if (contextValue.outcome) contextValue.outcome.resolved = true;
  },
  async willSendResponse({ contextValue, operationName, request, response }) {
    const outcome = contextValue.outcome;
    if (!outcome) return;
    outcome.operation = operationName ?? request.operationName ?? undefined;
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    if (errors?.length) outcome.codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  },
};

export const outcomePlugin: ApolloServerPlugin<HasOutcome> = {
  async requestDidStart() {
    return listener;
  },
};

// When the request failed before the GraphQL layer saw it (body refused, authentication failed), the status says why.
const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** OK, the first error code the client received, or what the HTTP status says. */
export function outcomeCode(outcome: GraphqlOutcome, status: number): string {
  if (outcome.codes) return outcome.codes[0];
  if (status < 400) return 'OK';
  return STATUS_CODES[status] ?? `HTTP_${status}`;
}

/** Whether the request may give its operation name a metrics series of its own (observability/metrics.ts). */
export function operationStanding(outcome: GraphqlOutcome): OperationStanding {
  if (!outcome.principal) return 'unauthenticated';
  return outcome.resolved ? 'trusted' : 'unresolved';
}

/** The request log line's fields for /graphql. */
export function outcomeFields(outcome: GraphqlOutcome) {
  const p = outcome.principal;
  return {
    operation: outcome.operation ?? null,
    principal: p ? { id: p.id, kind: p.kind } : null,
    workspace: p?.workspaceId ?? null,
    errors: outcome.codes ?? [],
  };
}
