import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/**
 * A subgraph's operations executed by graphql-jit instead of graphql-js's interpreter: the
 * gateway sends each subgraph the same few operation shapes over and over (a flagship page is
 * 142 entities with a dozen fields each), and interpreting them — walking the document, looking
 * up each field and coercing its arguments per entity — cost more CPU than the resolvers. An
 * operation is compiled once, the first time its document is executed (Apollo Server parses and
 * validates it first, and keeps the parsed document for the next request with the same text, so
 * the document object is the cache key).
 *
 * Plugged in through Apollo Server's executor interface (the one @apollo/gateway uses): parsing,
 * validation, plugins, error formatting and the HTTP answer stay Apollo Server's.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compiledFor = (document: DocumentNode, operationName: string | undefined) => {
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    const key = operationName ?? '';
    let query = byName.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName, {
        // errors keep the resolver's stack for the log: the client never sees it (maskError)
        disablingCapturingStackErrors: false,
      });
      byName.set(key, query);
    }
    return query;
  };
  const executor: GatewayExecutor = async (request) => {
    const query = compiledFor(request.document, request.operationName ?? undefined);
    if (!isCompiledQuery(query)) return query;
    const result = (await query.query(
      undefined,
      request.context,
      request.request.variables ?? {},
    )) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are graphql-js errors in all but `extensions`, which they leave
 * undefined when the resolver's error has none; Apollo Server's formatting reads
 * `extensions.code` and would fail on them (answering a generic error without its path).
 * Rebuilt with the graphql-js class graphql-jit's errors extend: Apollo Server recognizes
 * errors by `instanceof`, and a test runner may load another copy of graphql for this module.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const Upstream = Object.getPrototypeOf(Object.getPrototypeOf(error)).constructor as
    | typeof GraphQLError
    | undefined;
  const original = error.originalError as { extensions?: Record<string, unknown> } | undefined;
  const normalized = new (Upstream ?? GraphQLError)(error.message, {
    path: error.path,
    originalError: error.originalError,
    extensions: original?.extensions ?? {},
  });
  // where in the subgraph's operation (graphql-jit located it; the constructor cannot take it)
  (normalized as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return normalized;
}
