import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Database, SliceName } from '@trellis/prisma';
import { sliceStatus } from '@trellis/prisma';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { maskError, metricsPlugin } from './apollo.js';
import { CALLER_HEADER, REQUEST_ID_HEADER, verifyCaller } from './caller.js';
import type { RequestContext } from './context.js';
import type { Flags } from './flags.js';
import { type HttpServiceOptions, listen, type RunningService } from './http.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { buildFeatureSchema } from './schema.js';
import { loadTypeDefs } from './sdl.js';

/** What a subgraph is handed at start: created once per process, never imported as globals. */
export interface SubgraphDeps {
  db: Database;
  flags: Flags;
  metrics: Metrics;
  logger: Logger;
}

export interface SubgraphService<C extends RequestContext = RequestContext> {
  name: SliceName;
  schema: GraphQLSchema;
  /** adds the per-request parts (loaders) to the verified base context */
  context(base: RequestContext): C;
}

export interface SubgraphListenOptions {
  port: number;
  host?: string;
  /** verifies the caller the gateway forwards */
  signingSecret: string;
  development: boolean;
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function subgraphHttpOptions<C extends RequestContext>(
  service: SubgraphService<C>,
  deps: SubgraphDeps,
  options: SubgraphListenOptions,
): HttpServiceOptions<C> {
  const logger = deps.logger.child({ subgraph: service.name });
  const apollo = new ApolloServer<C>({
    schema: service.schema,
    csrfPrevention: true,
    introspection: options.development,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(logger, false),
    // no Apollo usage reporting here, so no inline traces either
    plugins: [
      metricsPlugin<C>(service.name, deps.metrics),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  return {
    name: service.name,
    apollo,
    metrics: deps.metrics,
    logger,
    async ready() {
      await deps.db.query('SELECT 1');
      return (await sliceStatus(deps.db, service.name)).pending.length === 0;
    },
    // every request, `_service` and `_entities` included, must carry the gateway's signature
    async context(req) {
      const { caller, requestId } = await verifyCaller(
        header(req, CALLER_HEADER),
        options.signingSecret,
      );
      const rid = requestId ?? header(req, REQUEST_ID_HEADER) ?? randomUUID();
      return service.context({
        caller,
        requestId: rid,
        logger: logger.child({ requestId: rid }),
        flags: deps.flags,
        metrics: deps.metrics,
        idempotencyKeyHeader: header(req, 'idempotency-key'),
      });
    },
  };
}

export function startSubgraph<C extends RequestContext>(
  service: SubgraphService<C>,
  deps: SubgraphDeps,
  options: SubgraphListenOptions,
): Promise<RunningService> {
  return listen(subgraphHttpOptions(service, deps, options), options.port, options.host);
}

/** A subgraph's SDL: `schema.graphql` and every feature's part, beside the module at `moduleUrl`. */
export const subgraphTypeDefs = (moduleUrl: string): DocumentNode =>
  loadTypeDefs(dirname(fileURLToPath(moduleUrl)));

/**
 * The one way a subgraph is put together: its Prisma client, created once per process from
 * the shared database; its schema from SDL and feature resolvers; per-request loaders.
 */
export function defineSubgraph<P, L>(definition: {
  name: SliceName;
  typeDefs: DocumentNode;
  features: object[];
  createPrisma(db: Database): P;
  createLoaders(prisma: P): L;
  /** once per process, e.g. metrics collectors that read the database */
  setup?(deps: SubgraphDeps, prisma: P): void;
}): (deps: SubgraphDeps) => SubgraphService<RequestContext & { prisma: P; loaders: L }> {
  return (deps) => {
    const prisma = definition.createPrisma(deps.db);
    definition.setup?.(deps, prisma);
    return {
      name: definition.name,
      schema: buildFeatureSchema(definition.typeDefs, definition.features),
      context: (base) => ({ ...base, prisma, loaders: definition.createLoaders(prisma) }),
    };
  };
}
