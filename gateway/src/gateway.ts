import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  CALLER_HEADER,
  compactResult,
  errorLogPlugin,
  type HttpServiceOptions,
  injectTraceHeaders,
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
import type { CorsOptions } from './cors.js';
import { edgeIntercept } from './edge.js';
import { type ExplorerOptions, type ExplorerPage, renderExplorer } from './explorer.js';
import { type LocalSubgraph, subgraphFetcher } from './fetcher.js';
import { knownOperationTypes } from './known-operation-types.js';
import { hideTokenLimit, operationLimits } from './limits.js';
import { accessLog } from './plugins/access-log.js';
import { idempotencyKeyPlugin } from './plugins/idempotency-key.js';
import { operationResolutionPlugin } from './plugins/operation-resolution.js';
import { refusalLogPlugin } from './plugins/refusal-log.js';
import { subgraphConnectionsPlugin } from './plugins/subgraph-connections.js';
import { trustedDocumentsPlugin } from './plugins/trusted-documents.js';
import {
  credentialKey,
  DEFAULT_PLANS,
  memoryBuckets,
  type RateLimitOptions,
  rateLimitPlugin,
  redisBuckets,
} from './rate-limit.js';
import { subgraphReadiness } from './readiness.js';
import {
  DEFAULT_RESILIENCE,
  fetchMetrics,
  type ResilienceOptions,
  ResilientDataSource,
} from './resilience.js';
import {
  committedTrustedDocuments,
  operationNamesOf,
  type TrustedDocuments,
  type TrustedDocumentsMode,
} from './trusted-documents.js';
import { warmUp } from './warm-up.js';

export type { GatewayContext };

export interface GatewayOptions {
  supergraphSdl: string;
  /** where each subgraph is reachable (overrides the URLs in the supergraph) */
  subgraphUrls: Record<string, string>;
  /** subgraphs of this process, by name: called without HTTP (the all-in-one runtime) */
  localSubgraphs?: Record<string, LocalSubgraph>;
  signingSecret: string;
  auth: AuthConfig;
  /** field suggestions in errors; introspection and explorer follow it unless set */
  development: boolean;
  /** default: `development` */
  introspection?: boolean;
  /** GraphiQL at `/` for browsers (default: on in development); false: none */
  explorer?: ExplorerOptions | false;
  /** origins browsers may call from (default: none) */
  cors?: CorsOptions;
  /** default: `accept` */
  trustedDocuments?: TrustedDocumentsMode;
  /** the manifest (default: the committed `gateway/trusted-documents.json`) */
  documents?: TrustedDocuments;
  /** how the gateway treats slow or dead subgraphs (default `DEFAULT_RESILIENCE`) */
  resilience?: Partial<ResilienceOptions>;
  /** per-subgraph fetch timeouts (ms) overriding `resilience.timeoutMs` */
  subgraphTimeouts?: Record<string, number>;
  /** per-organization and per-token budgets (default: `DEFAULT_PLANS`, in memory) */
  rateLimits?: RateLimitOptions;
  /** runs the manifest's read operations once before `/ready` says ready (default true) */
  warmUp?: boolean;
  /** how long the subgraphs' readiness is reused by the gateway's `/ready` (default 2 s) */
  readyCacheMs?: number;
  /** the longest the gateway waits for subgraphs on one request, all fetches together (default 10 s) */
  requestTimeoutMs?: number;
  logger: Logger;
  metrics: Metrics;
}

export function gatewayHttpOptions(options: GatewayOptions): HttpServiceOptions<GatewayContext> {
  const { logger, metrics } = options;
  // keep-alive connections to the subgraphs, closed when the gateway stops
  const subgraphConnections = new Agent();
  const fetcher = subgraphFetcher(subgraphConnections);
  const fetches = fetchMetrics(metrics);
  const resilience = { ...DEFAULT_RESILIENCE, ...options.resilience };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new ResilientDataSource({
        name,
        url: options.subgraphUrls[name] ?? url!,
        local: options.localSubgraphs?.[name],
        options: {
          ...resilience,
          timeoutMs: options.subgraphTimeouts?.[name] ?? resilience.timeoutMs,
        },
        metrics: fetches,
        logger,
        fetcher,
        async willSendRequest({ request, context }) {
          if (!context.forwarded) return;
          request.http?.headers.set(CALLER_HEADER, await context.forwarded);
          request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
          if (context.idempotencyKey)
            request.http?.headers.set('idempotency-key', context.idempotencyKey);
          // the fetch's span (the gateway's own) becomes the subgraph's parent
          if (request.http) injectTraceHeaders(request.http.headers);
        },
      }),
  });
  const rateLimits = options.rateLimits ?? { plans: DEFAULT_PLANS, orgPlans: {} };
  const mask = maskError(logger, false);
  const limits = operationLimits(options.development);
  const authenticate = createAuthenticator(options.auth);
  const documents = options.documents ?? committedTrustedDocuments();
  const trustedOnly = options.trustedDocuments === 'only';
  const explorer = options.explorer ?? (options.development ? {} : false);
  let page: ExplorerPage | undefined;
  const access = accessLog(logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: options.introspection ?? options.development,
    // partners in trusted-documents-only mode cannot register documents through APQ either
    ...(trustedOnly ? { persistedQueries: false as const } : {}),
    // no "Did you mean …?" field suggestions outside development (graphql-armor masks them too)
    hideSchemaDetailsFromClientErrors: !options.development,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => mask(hideTokenLimit(formatted), error),
    stringifyResult: compactResult,
    parseOptions: limits.parseOptions,
    validationRules: [...limits.validationRules, knownOperationTypes],
    plugins: [
      trustedDocumentsPlugin(documents, trustedOnly ? 'only' : 'accept'),
      ...limits.plugins,
      rateLimitPlugin(
        rateLimits,
        rateLimits.redisUrl
          ? redisBuckets(rateLimits.redisUrl, logger, rateLimits.keyPrefix)
          : memoryBuckets(),
        metrics,
      ),
      metricsPlugin<GatewayContext>('gateway', metrics, operationNamesOf(documents)),
      // malformed arguments are refused here, before any subgraph is called
      inputHygienePlugin<GatewayContext>(),
      subgraphConnectionsPlugin(subgraphConnections),
      errorLogPlugin<GatewayContext>((ctx) => logger.child({ requestId: ctx.requestId })),
      refusalLogPlugin(logger),
      access.plugin,
      operationResolutionPlugin(),
      idempotencyKeyPlugin(),
      // the explorer is GraphiQL, served by the edge (no hosted page, no telemetry)
      ApolloServerPluginLandingPageDisabled(),
    ],
  });

  return {
    name: 'gateway',
    apollo,
    metrics,
    logger,
    intercept: edgeIntercept({
      cors: options.cors ?? { origins: [] },
      explorer: explorer
        ? () => {
            page ??= renderExplorer(documents, explorer);
            return page;
          }
        : undefined,
      begin: access.begin,
    }),
    // ready when every subgraph is (cached), and once warmed up (`listen` holds it until then)
    ready: subgraphReadiness(Object.values(options.subgraphUrls), subgraphConnections, {
      cacheMs: options.readyCacheMs ?? 2_000,
      timeoutMs: 1_000,
    }),
    warmUp:
      options.warmUp === false
        ? undefined
        : async () => {
            const operations = await warmUp(apollo, documents, options.signingSecret);
            logger.info({ operations }, 'warmed up: the contract read operations ran once');
          },
    async context(req: IncomingMessage) {
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      // settled by the edge (edgeIntercept), which answers it on every response
      const requestId = header(REQUEST_ID_HEADER)!;
      const caller = await authenticate(header('authorization'));
      return {
        caller,
        requestId,
        forwarded: signCaller(caller, options.signingSecret, requestId),
        idempotencyKey: header('idempotency-key'),
        access: access.recordOf(req),
        credential: credentialKey(header('authorization')),
        deadline: Date.now() + requestTimeoutMs,
      };
    },
  };
}
