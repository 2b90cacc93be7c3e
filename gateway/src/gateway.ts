import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  badInput,
  CALLER_HEADER,
  type Caller,
  errorLogPlugin,
  type HttpServiceOptions,
  inputHygienePlugin,
  type Logger,
  type Metrics,
  maskError,
  metricsPlugin,
  REQUEST_ID_HEADER,
  signCaller,
} from '@trellis/kit';
import {
  GraphQLError,
  type GraphQLFormattedError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { Agent } from 'undici';
import { type AuthConfig, createAuthenticator } from './auth.js';
import { subgraphFetcher } from './fetcher.js';

export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** the caller signed for the subgraphs, once per request */
  forwarded: Promise<string>;
  idempotencyKey?: string;
}

/** Operation limits at the edge (their values are documented in docs/security.md). */
export const LIMITS = {
  maxDepth: 15,
  maxAliases: 15,
  maxTokens: 3000,
  maxCost: 20000,
  maxDirectives: 50,
};

export interface GatewayOptions {
  supergraphSdl: string;
  /** where each subgraph is reachable (overrides the URLs in the supergraph) */
  subgraphUrls: Record<string, string>;
  signingSecret: string;
  auth: AuthConfig;
  development: boolean;
  logger: Logger;
  metrics: Metrics;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * A limit refusal names the limit (`extensions.limit`), never its value: HTTP 400,
 * GRAPHQL_VALIDATION_FAILED, before any subgraph is called.
 */
const refuseOver = (limit: keyof typeof LIMITS) => ({
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null) =>
      context?.reportError(
        new GraphQLError(`the operation exceeds the ${limit} limit`, { extensions: { limit } }),
      ),
  ],
});

/** The token limit is the parser's own (a refusal inside parsing would answer HTTP 500). */
const TOKENS_EXCEEDED = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;
const hideTokenLimit = (formatted: GraphQLFormattedError): GraphQLFormattedError =>
  TOKENS_EXCEEDED.test(formatted.message)
    ? {
        message: 'the operation exceeds the maxTokens limit',
        extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'maxTokens' },
      }
    : formatted;

/**
 * An operation of a kind the schema does not have (`subscription`) is a validation failure
 * (graphql-js 17's KnownOperationTypesRule), not an error inside the gateway's executor.
 */
const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation))
      context.reportError(
        new GraphQLError(`this API has no ${node.operation} operations`, { nodes: node }),
      );
  },
});

export function gatewayHttpOptions(options: GatewayOptions): HttpServiceOptions<GatewayContext> {
  const { logger, metrics } = options;
  // keep-alive connections to the subgraphs, closed when the gateway stops
  const subgraphConnections = new Agent();
  const fetcher = subgraphFetcher(subgraphConnections);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: options.subgraphUrls[name] ?? url,
        fetcher,
        async willSendRequest({ request, context }) {
          if (!context.forwarded) return;
          request.http?.headers.set(CALLER_HEADER, await context.forwarded);
          request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
          if (context.idempotencyKey)
            request.http?.headers.set('idempotency-key', context.idempotencyKey);
        },
      }),
  });
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ...refuseOver('maxDepth') },
    maxAliases: { n: LIMITS.maxAliases, ...refuseOver('maxAliases') },
    maxTokens: { enabled: false },
    costLimit: { maxCost: LIMITS.maxCost, ...refuseOver('maxCost') },
    maxDirectives: { n: LIMITS.maxDirectives, ...refuseOver('maxDirectives') },
    blockFieldSuggestion: { enabled: !options.development },
  });
  const mask = maskError(logger, false);
  const protection = armor.protect();
  const authenticate = createAuthenticator(options.auth);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: options.development,
    // no "Did you mean …?" field suggestions outside development (graphql-armor masks them too)
    hideSchemaDetailsFromClientErrors: !options.development,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => mask(hideTokenLimit(formatted), error),
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [...protection.validationRules, knownOperationTypes],
    plugins: [
      // graphql-armor ships CommonJS typings of Apollo's plugin type
      ...(protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      metricsPlugin<GatewayContext>('gateway', metrics),
      // malformed arguments are refused here, before any subgraph is called
      inputHygienePlugin<GatewayContext>(),
      {
        async serverWillStart() {
          return {
            async serverWillStop() {
              await subgraphConnections.close();
            },
          };
        },
      },
      errorLogPlugin<GatewayContext>((ctx) => logger.child({ requestId: ctx.requestId })),
      {
        // refusals at the edge are security events: logged (the client's request id included),
        // never with the token or the document's variables
        async contextCreationDidFail({ error }) {
          logger.warn(
            { code: (error as { extensions?: { code?: unknown } }).extensions?.code },
            'request refused at the edge: authentication failed',
          );
        },
      },
      {
        async requestDidStart({ contextValue }) {
          return {
            // the Idempotency-Key header names one write: a request with several is refused
            async didResolveOperation({ operation, request }) {
              // Apollo's own answer when there is no schema executor in between
              if (!operation)
                throw new GraphQLError(
                  request.operationName
                    ? `the document has no operation named "${request.operationName}"`
                    : 'the document has several operations: name one in operationName',
                  {
                    extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
                  },
                );
              if (!contextValue.idempotencyKey) return;
              if (operation.operation !== 'mutation') {
                contextValue.idempotencyKey = undefined;
              } else if (operation.selectionSet.selections.length !== 1) {
                throw badInput(
                  'Idempotency-Key',
                  'the Idempotency-Key header applies to a request with exactly one mutation',
                  { http: { status: 400 } },
                );
              }
            },
            async didEncounterErrors({ errors }) {
              const refused = errors
                .map((e) => e.extensions?.code)
                .filter((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED');
              if (refused.length === 0) return;
              logger.warn(
                {
                  requestId: contextValue.requestId,
                  subject: contextValue.caller.subject,
                  org: contextValue.caller.orgId,
                  codes: refused,
                },
                'request refused: not authorized',
              );
            },
            async willSendResponse({ response }) {
              response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
            },
          };
        },
      },
      options.development
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });

  return {
    name: 'gateway',
    apollo,
    metrics,
    logger,
    async ready() {
      return true;
    },
    async context(req: IncomingMessage) {
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const incoming = header(REQUEST_ID_HEADER);
      const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      const caller = await authenticate(header('authorization'));
      return {
        caller,
        requestId,
        forwarded: signCaller(caller, options.signingSecret, requestId),
        idempotencyKey: header('idempotency-key'),
      };
    },
  };
}
