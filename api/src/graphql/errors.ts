import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { asAppError } from '../core/errors';

/** Codes of errors graphql-js and Apollo raise for a malformed request; safe to show. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TOO_MANY_REQUESTS',
]);

const TOKEN_LIMIT = /^Syntax Error: Document contains more that (\d+) tokens/;

/**
 * Apollo's formatError hook: typed errors keep their message and code; a
 * database that cannot be reached is SERVICE_UNAVAILABLE; any other error reaches the client as a bare INTERNAL_SERVER_ERROR without SQL
 * or stack text (the server's error-log plugin keeps the original, with the
 * request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const known = asAppError(original);
  if (known) {
    return {
      message: known.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: known.code, ...known.extensions() },
    };
  }
  // A code is trusted only from graphql-js or Apollo themselves, never from an arbitrary thrown Error.
  const code = formatted.extensions?.code as string | undefined;
  const raisedByGraphQL = !(original instanceof Error) || original instanceof GraphQLError;
  const tokens = code === 'GRAPHQL_PARSE_FAILED' && raisedByGraphQL ? TOKEN_LIMIT.exec(formatted.message) : null;
  if (tokens) {
    // The parser's token limit (parseOptions.maxTokens), said like the other document limits.
    const max = Number(tokens[1]);
    return {
      message: `The query has more than ${max} tokens; at most ${max} are allowed`,
      extensions: { code: 'BAD_USER_INPUT', limit: 'tokens', max },
    };
  }
  if (code && CLIENT_CODES.has(code) && raisedByGraphQL) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error; it has been logged with the request id.',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
