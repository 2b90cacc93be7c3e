import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ContextSlot } from '@trellis/prisma';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
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
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // the gateway's trusted documents (gateway/src/plugins/trusted-documents.ts)
  'TRUSTED_DOCUMENT_REQUIRED',
  'TRUSTED_DOCUMENT_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  // the gateway's rate limit (gateway/src/rate-limit.ts)
  'RATE_LIMITED',
  // deliberate partial answers: the gateway logs the cause once, with the subgraph's name
  'SUBGRAPH_UNAVAILABLE',
  // a subgraph stopped work its caller no longer waits for (deadline.ts)
  'DEADLINE_EXCEEDED',
]);

/**
 * Answers as compact JSON: Apollo Server's default indents every answer, which the gateway (or
 * the client) parses again — a flagship page's hops spent more CPU printing than reading.
 */
export const compactResult = (value: FormattedExecutionResult): string => {
  const handOver = handOvers.getStore();
  if (!handOver) return JSON.stringify(value);
  handOver.result = value;
  return '';
};

const handOvers = new ContextSlot<{ result?: FormattedExecutionResult }>();

/**
 * Runs `fn` so that the answer `compactResult` would print is handed over instead (read with
 * `handed()`; `compactResult` answers the empty string): a caller in the same process reads
 * the object rather than printing and parsing it again.
 */
export function handOverResult<T>(fn: (handed: () => unknown) => Promise<T>): Promise<T> {
  const handOver: { result?: FormattedExecutionResult } = {};
  return handOvers.run(handOver, () => fn(() => handOver.result));
}

/** Whether an error code is a deliberate answer to the client (not an internal failure). */
export const isUserErrorCode = (code: unknown): boolean =>
  typeof code === 'string' && USER_CODES.has(code);

/**
 * Masks anything that is not a deliberate user error: clients get a code and a plain message,
 * never a stack, SQL, host or subgraph name. The detail is logged by `errorLogPlugin` under the
 * request id; `logger` only sees errors that happen outside a request (none expected).
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
    if (!logged.has(error as object))
      logger.error({ err: error, path: formatted.path }, 'internal error');
    if (exposeDetail) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

const logged = new WeakSet<object>();

/**
 * Logs every internal error with the request's own logger (so the line carries the request id
 * that the client got back), with full detail: message, stack, SQL error fields. The client
 * only ever sees the masked form.
 */
export function errorLogPlugin<C extends BaseContext>(
  loggerOf: (context: C) => Logger,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isUserErrorCode(error.extensions?.code)) continue;
            logged.add(error);
            loggerOf(contextValue).error(
              { err: error.originalError ?? error, path: error.path },
              'internal error',
            );
          }
        },
      };
    },
  };
}

/** The suffix the gateway gives the operation it sends a subgraph (`Name__pricing__2`). */
const FETCH_SUFFIX = /__[a-z-]+__\d+$/;

/**
 * The `operation` label: the operation's name when it is a known one (the trusted-documents
 * manifest, which holds the contract's operations), else `other` — a client chooses its
 * operation names, and every new label value would be a new series.
 */
export const operationLabel = (
  operations: ReadonlySet<string>,
  name: string | null | undefined,
): string => {
  const base = name?.replace(FETCH_SUFFIX, '');
  return base && operations.has(base) ? base : 'other';
};

/**
 * The operation names of a trusted-documents manifest (`pnpm documents:build` writes the
 * gateway's, `{ documents: { <id>: { operation } } }`): what a subgraph running as its own
 * process labels by name. None when there is no manifest at `path`.
 */
export function operationNamesIn(path: string): ReadonlySet<string> {
  if (!existsSync(path)) return new Set();
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
    documents?: Record<string, { operation?: string }>;
  };
  return new Set(
    Object.values(manifest.documents ?? {}).flatMap((d) => (d.operation ? [d.operation] : [])),
  );
}

/** Request latency and errors by code, for `/metrics`. */
export function metricsPlugin<C extends BaseContext>(
  service: string,
  metrics: Metrics,
  operations: ReadonlySet<string> = new Set(),
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const end = metrics.requestDuration.startTimer({ service });
      return {
        async willSendResponse(rc) {
          end({ operation: operationLabel(operations, rc.operationName) });
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
