import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  CALLER_HEADER,
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
import { Agent } from 'undici';
import { type AuthConfig, createAuthenticator } from './auth.js';
import type { GatewayContext } from './context.js';
import { subgraphFetcher } from './fetcher.js';
import { knownOperationTypes } from './known-operation-types.js';
import { hideTokenLimit, operationLimits } from './limits.js';
import { idempotencyKeyPlugin } from './plugins/idempotency-key.js';
import { operationResolutionPlugin } from './plugins/operation-resolution.js';
import { refusalLogPlugin } from './plugins/refusal-log.js';
import { requestIdOf, requestIdPlugin } from './plugins/request-id.js';
import { subgraphConnectionsPlugin } from './plugins/subgraph-connections.js';

export type { GatewayContext };

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
  const mask = maskError(logger, false);
  const limits = operationLimits(options.development);
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
    parseOptions: limits.parseOptions,
    validationRules: [...limits.validationRules, knownOperationTypes],
    plugins: [
      ...limits.plugins,
      metricsPlugin<GatewayContext>('gateway', metrics),
      // malformed arguments are refused here, before any subgraph is called
      inputHygienePlugin<GatewayContext>(),
      subgraphConnectionsPlugin(subgraphConnections),
      errorLogPlugin<GatewayContext>((ctx) => logger.child({ requestId: ctx.requestId })),
      refusalLogPlugin(logger),
      operationResolutionPlugin(),
      idempotencyKeyPlugin(),
      requestIdPlugin(),
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
      const requestId = requestIdOf(header(REQUEST_ID_HEADER));
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
