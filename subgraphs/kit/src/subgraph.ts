import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { Database, SliceName } from '@trellis/prisma';
import {
  endSharedTransactions,
  enterTenancy,
  migrationNames,
  SLICES,
  shareTransactions,
  sliceStatus,
  withTenancy,
  withTenancyScope,
} from '@trellis/prisma';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compactResult, errorLogPlugin, maskError, metricsPlugin } from './apollo.js';
import { deniedAuditEntries, writeAudit } from './audit.js';
import { CALLER_HEADER, REQUEST_ID_HEADER, verifyCaller } from './caller.js';
import { compiledExecution } from './compiled.js';
import type { RequestContext } from './context.js';
import { DEADLINE_HEADER, deadlineOf, withDeadline } from './deadline.js';
import type { Flags } from './flags.js';
import { type HttpServiceOptions, listen, type RunningService } from './http.js';
import { inputHygienePlugin } from './hygiene.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { buildFeatureSchema, type PiiOwners } from './schema.js';
import { loadTypeDefs } from './sdl.js';
import { type RawTx, tenancyOf } from './tenant.js';
import { traceLoaders } from './tracing.js';

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
  /** the slice's runtime client, for rows the kit writes itself (audit of refusals) */
  raw?: RawTx;
}

/**
 * Every authorization failure of a request is audited in the slice's own `audit_log` (in its
 * own transaction, for the caller's tenancy: the request's own transaction, if any, was rolled
 * back): one DENIED row per reason — the field refused and the code — with the number of
 * refusals (`deniedAuditEntries`), so a refused page of many entities is one row, not one per
 * entity. Requests whose caller could not be verified never reach this (they are refused
 * before any context exists): those are logged as security warnings instead, so
 * unauthenticated traffic cannot make the database write.
 */
export function auditDeniedPlugin<C extends RequestContext>(
  schema: string,
  rawOf: (context: C) => RawTx | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operation }) {
          const entries = deniedAuditEntries(operation?.operation ?? 'request', errors);
          const raw = contextValue?.caller ? rawOf(contextValue) : undefined;
          if (entries.length === 0 || !raw) return;
          // the refusal is written on its own, after the request's shared reads are done
          await endSharedTransactions();
          for (const entry of entries) {
            try {
              await writeAudit(raw, schema, contextValue, entry);
            } catch (err) {
              contextValue.logger.error({ err }, 'could not write the audit row of a refusal');
            }
          }
        },
      };
    },
  };
}

/**
 * A query reads through one transaction per slice (BEGIN and the tenancy settings once per
 * request instead of around every statement); it is committed when the request ends
 * (`requestScope`), after its answer is sent: a query only reads, so the gateway need not wait
 * for the COMMIT. Mutations keep their own transactions (`writeOnce`), committed before.
 */
function sharedReadsPlugin<C extends RequestContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'query') shareTransactions();
        },
      };
    },
  };
}

export interface SubgraphListenOptions {
  port: number;
  host?: string;
  /** verifies the caller the gateway forwards */
  signingSecret: string;
  development: boolean;
  /** how long a stop lets requests in flight finish */
  graceMs?: number;
  /** operation names the metrics label as they are (the rest: `other`) */
  operations?: ReadonlySet<string>;
  /** `/metrics` on this listener (false in the all-in-one mode: the gateway's port serves all) */
  serveMetrics?: boolean;
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
    gateway: compiledExecution(service.schema),
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: options.development,
    hideSchemaDetailsFromClientErrors: !options.development,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(logger, false),
    stringifyResult: compactResult,
    // no Apollo usage reporting here, so no inline traces either
    plugins: [
      metricsPlugin<C>(service.name, deps.metrics, options.operations),
      // the gateway refuses these first; a subgraph still never lets one reach its SQL
      inputHygienePlugin<C>(),
      errorLogPlugin<C>((ctx) => ctx.logger ?? logger),
      // the slice's runtime client: the service's, else the one its context carries
      auditDeniedPlugin<C>(
        SLICES[service.name],
        (ctx) => service.raw ?? (ctx as { prisma?: RawTx }).prisma,
      ),
      {
        async contextCreationDidFail({ error }) {
          logger.warn(
            { code: (error as { extensions?: { code?: string } }).extensions?.code },
            'request refused: the caller is not the gateway (no or a forged signature)',
          );
        },
      },
      ApolloServerPluginInlineTraceDisabled(),
      sharedReadsPlugin<C>(),
      // cache hints are unused (no response cache), and the plugin wraps every field resolver
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  return {
    name: service.name,
    apollo,
    metrics: deps.metrics,
    serveMetrics: options.serveMetrics,
    logger,
    // as the slice's runtime role when there is one (it may read its migration history), so a
    // subgraph logging in as its own role needs no other credentials
    async ready() {
      const raw = service.raw;
      if (!raw) {
        await deps.db.query('SELECT 1');
        return (await sliceStatus(deps.db, service.name)).pending.length === 0;
      }
      const rows = await withTenancy(undefined, () =>
        raw.$queryRawUnsafe<{ name: string }[]>(
          `SELECT migration_name AS name FROM "${SLICES[service.name]}"."_prisma_migrations"
           WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        ),
      );
      const applied = new Set(rows.map((r) => r.name));
      return migrationNames(service.name).every((name) => applied.has(name));
    },
    // every statement of a request runs for its verified caller (row-level security), and for
    // nobody until the caller is verified
    // and no statement once the gateway no longer waits (`DEADLINE_HEADER`)
    requestScope: (req, run) =>
      withTenancyScope(async () => {
        try {
          return await withDeadline(deadlineOf(header(req, DEADLINE_HEADER)), run);
        } finally {
          await endSharedTransactions();
        }
      }),
    // every request, `_service` and `_entities` included, must carry the gateway's signature
    async context(req) {
      const { caller, requestId } = await verifyCaller(
        header(req, CALLER_HEADER),
        options.signingSecret,
      );
      const rid = requestId ?? header(req, REQUEST_ID_HEADER) ?? randomUUID();
      enterTenancy(tenancyOf(caller, rid));
      return service.context({
        caller,
        requestId: rid,
        logger: logger.child({ requestId: rid }),
        flags: deps.flags.forRequest(),
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
  return listen(
    subgraphHttpOptions(service, deps, options),
    options.port,
    options.host,
    options.graceMs,
  );
}

/** A subgraph's SDL: `schema.graphql` and every feature's part, beside the module at `moduleUrl`. */
export const subgraphTypeDefs = (moduleUrl: string): DocumentNode =>
  loadTypeDefs(dirname(fileURLToPath(moduleUrl)));

/**
 * The one way a subgraph is put together: its Prisma client, created once per process from
 * the shared database; its schema from SDL and feature resolvers; per-request loaders (which
 * may observe with the request's logger and metrics) and any other per-request part of the
 * context (`extendContext`, e.g. the request's instant).
 */
export function defineSubgraph<P extends RawTx, L, X extends object = object>(definition: {
  name: SliceName;
  typeDefs: DocumentNode;
  features: object[];
  createPrisma(db: Database): P;
  createLoaders(prisma: P, base: RequestContext): L;
  /** per-request values beside the client and the loaders */
  extendContext?(base: RequestContext): X;
  /** whose personal data each type with `@pii` fields holds (`canReadPii`) */
  piiOwners?: PiiOwners;
  /** once per process, e.g. metrics collectors that read the database */
  setup?(deps: SubgraphDeps, prisma: P): void;
}): ((deps: SubgraphDeps) => SubgraphService<RequestContext & { prisma: P; loaders: L } & X>) & {
  /** the resolver maps it is built from (the schema walk tests read them) */
  features: readonly object[];
} {
  const create = (deps: SubgraphDeps) => {
    const prisma = definition.createPrisma(deps.db);
    definition.setup?.(deps, prisma);
    return {
      name: definition.name,
      schema: buildFeatureSchema(definition.typeDefs, definition.features, definition.piiOwners),
      context: (base: RequestContext) => ({
        ...base,
        ...(definition.extendContext?.(base) as X),
        prisma,
        loaders: traceLoaders(definition.createLoaders(prisma, base)),
      }),
      raw: prisma,
    };
  };
  return Object.assign(create, { features: definition.features });
}
