import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DEFAULT_LIMITS, type OperationLimits } from '../config';
import type { RequestContext } from '../core/context';
import { evaluate, LIST_ITEMS, type Shape, shapeOf } from './operation-shape';
import { denial } from './policy';

/** What a request costs, returned in `extensions.cost` of its response. */
export interface Cost {
  requested: number;
  limit: number;
  accounts: number;
  accountsLimit: number;
}

const refuse = (message: string, code: string, status: number, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, http: { status }, ...extensions } });

const COST_RULE = `a field costs 1, a list argument its length; the fields under a list count once per item, ${LIST_ITEMS} items assumed, once per account under fitScores or simulateIcp`;

/** The limits of a document's shape: what is counted, the setting that bounds it, and how a refusal says it. */
const SHAPE_LIMITS: [
  limit: 'depth' | 'aliases' | 'fields' | 'directives',
  setting: keyof OperationLimits,
  says: (value: number, max: number) => string,
][] = [
  ['depth', 'maxDepth', (value, max) => `The query is ${value} levels deep; at most ${max} are allowed`],
  ['aliases', 'maxAliases', (value, max) => `The query uses ${value} aliases; at most ${max} are allowed`],
  ['fields', 'maxFields', (value, max) => `The query selects ${value} fields; at most ${max} are allowed`],
  ['directives', 'maxDirectives', (value, max) => `The query uses ${value} directives; at most ${max} are allowed`],
];

/** The first limit the document breaks, whatever its variables. */
function staticProblem(shape: Shape, l: OperationLimits): GraphQLError | undefined {
  for (const [limit, setting, says] of SHAPE_LIMITS) {
    const [value, max] = [shape[limit], l[setting]];
    if (value > max) return refuse(says(value, max), 'BAD_USER_INPUT', 400, { limit, value, max });
  }
  return undefined;
}

function costOf(rc: GraphQLRequestContext<RequestContext>, l: OperationLimits): Cost | undefined {
  if (!rc.document || !rc.operation) return undefined;
  const shape = shapeOf(rc.document, rc.operation, rc.schema);
  const variables = rc.request.variables;
  return {
    requested: evaluate(shape.cost, variables, shape.defaults),
    limit: l.maxCost,
    accounts: evaluate(shape.accounts, variables, shape.defaults),
    accountsLimit: l.maxAccounts,
  };
}

/**
 * The Apollo plugin that enforces POLICY on root fields and the operation
 * limits after validation and before execution, over the whole document
 * (every fragment spread): a refused request runs no resolver and no query.
 * Fields below the root that a role may not read are refused one by one at
 * resolution, the rest of the answer kept (auth/field-guard.ts). Root fields
 * stay all or nothing: most are non-null, so refusing one alone would null
 * the whole answer anyway, and an operation is refused before it costs anything.
 * The token limit is the parser's (ApolloServer parseOptions.maxTokens).
 */
export function operationGuardPlugin(limits: OperationLimits = DEFAULT_LIMITS): ApolloServerPlugin<RequestContext> {
  // Each request's cost, worked out once before execution and reported with the response.
  const costs = new WeakMap<object, Cost>();
  // One listener object for every request (nothing per request to allocate).
  const listener: GraphQLRequestListener<RequestContext> = {
    async didResolveOperation(rc) {
      const { operation, document, schema, contextValue } = rc;
      if (!operation) return;
      const role = contextValue.principal?.role ?? null;
      const shape = shapeOf(document, operation, schema);
      for (const field of shape.rootFields) {
        if (field === '__typename' || field === '__schema' || field === '__type') continue;
        const no = denial(field, role);
        if (no) throw refuse(no.message, no.code, no.status);
      }
      const problem = staticProblem(shape, limits);
      if (problem) throw problem;
      // The lists are counted, not read: nothing is coerced or scored before this.
      const cost = costOf(rc, limits)!;
      costs.set(rc.request, cost);
      if (cost.accounts > limits.maxAccounts) {
        throw refuse(
          `The request scores ${cost.accounts} accounts; at most ${limits.maxAccounts} are allowed in one request (split the list into several calls)`,
          'BAD_USER_INPUT',
          400,
          { limit: 'accounts', value: cost.accounts, max: limits.maxAccounts },
        );
      }
      if (cost.requested > limits.maxCost) {
        throw refuse(
          `The query costs ${cost.requested}; at most ${limits.maxCost} is allowed (${COST_RULE})`,
          'BAD_USER_INPUT',
          400,
          { limit: 'cost', value: cost.requested, max: limits.maxCost },
        );
      }
    },
    async willSendResponse(rc) {
      const body = rc.response.body;
      const cost = body.kind === 'single' ? (costs.get(rc.request) ?? costOf(rc, limits)) : undefined;
      if (cost && body.kind === 'single') body.singleResult.extensions = { ...body.singleResult.extensions, cost };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
