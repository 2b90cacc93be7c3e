import { createRequire } from 'node:module';
import { withTenancy } from '@trellis/prisma';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { RequestContext } from './context.js';
import { tenancyOf } from './tenant.js';

// the CommonJS build of graphql, the one @apollo/subgraph builds schemas with: under vitest an
// import would load the ES module build, a second `graphql` that refuses those schemas
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * Executes an operation against a subgraph's schema the way its HTTP service does for a
 * verified caller: inside the caller's tenancy, so row-level security applies below the
 * resolvers. For the subgraphs' own tests (`@trellis/kit/testing`).
 */
export function executeAsCaller(
  schema: GraphQLSchema,
  contextValue: RequestContext,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<ExecutionResult> {
  return withTenancy(tenancyOf(contextValue.caller, contextValue.requestId), () =>
    graphql({ schema, source, variableValues, contextValue }),
  );
}
