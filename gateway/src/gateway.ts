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
  type Logger,
  type Metrics,
  maskError,
  metricsPlugin,
  REQUEST_ID_HEADER,
  signCaller,
} from '@trellis/kit';
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
    maxDepth: { n: LIMITS.maxDepth, exposeLimits: false },
    maxAliases: { n: LIMITS.maxAliases, exposeLimits: false },
    maxTokens: { n: LIMITS.maxTokens, exposeLimits: false },
    costLimit: { maxCost: LIMITS.maxCost, exposeLimits: false },
    maxDirectives: { n: LIMITS.maxDirectives, exposeLimits: false },
    blockFieldSuggestion: { enabled: !options.development },
  });
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
    formatError: maskError(logger, false),
    validationRules: protection.validationRules,
    plugins: [
      // graphql-armor ships CommonJS typings of Apollo's plugin type
      ...(protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      metricsPlugin<GatewayContext>('gateway', metrics),
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
            async didResolveOperation({ operation }) {
              if (!contextValue.idempotencyKey || !operation) return;
              if (operation.operation !== 'mutation') {
                contextValue.idempotencyKey = undefined;
              } else if (operation.selectionSet.selections.length !== 1) {
                throw badInput(
                  'Idempotency-Key',
                  'the Idempotency-Key header applies to a request with exactly one mutation',
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
