import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const USER_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'FEATURE_DISABLED',
  'IDEMPOTENCY_CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Masks anything that is not a deliberate user error: clients get a code and a plain message,
 * never a stack, SQL or host; the log keeps the detail under the request id.
 */
export function maskError(logger: Logger, exposeDetail: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && USER_CODES.has(code)) {
      // nothing about the inside reaches the client: no stack, no subgraph name
      const {
        stacktrace: _s,
        exception: _e,
        serviceName: _n,
        http: _h,
        ...extensions
      } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error, path: formatted.path }, 'internal error');
    if (exposeDetail) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Request latency and errors by code, for `/metrics`. */
export function metricsPlugin<C extends BaseContext>(
  service: string,
  metrics: Metrics,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const end = metrics.requestDuration.startTimer({ service });
      return {
        async willSendResponse(rc) {
          end({ operation: rc.operationName ?? 'anonymous' });
          for (const e of rc.errors ?? []) {
            metrics.requestErrors.inc({
              service,
              code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            });
          }
        },
      };
    },
  };
}
