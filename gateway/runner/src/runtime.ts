import {
  DEMO_RECEIVER_PATH,
  type DispatcherOptions,
  demoReceiver,
  ensureDemoSubscription,
  type RunningDispatcher,
  startDispatcher,
  startSlaScheduler,
} from '@trellis/agreements';
import { startCatalogScheduler } from '@trellis/catalog';
import {
  type AuthConfig,
  committedTrustedDocuments,
  type GatewayOptions,
  gatewayHttpOptions,
  type LocalSubgraph,
  operationNamesOf,
} from '@trellis/gateway';
import {
  createLogger,
  type DestinationStream,
  type FlagSettings,
  Flags,
  listen,
  localHandler,
  Metrics,
  observeStatements,
  type RunningService,
  SettingsFlagProvider,
  SUBGRAPH_PORT_OFFSET,
  type SubgraphDeps,
  subgraphHttpOptions,
} from '@trellis/kit';
import { type Database, migrateAllSlices } from '@trellis/prisma';
import { SUBGRAPHS } from './subgraphs.js';

/** What the edge offers clients: introspection, explorer, CORS, trusted documents. */
export type EdgeSettings = Pick<
  GatewayOptions,
  'introspection' | 'explorer' | 'cors' | 'trustedDocuments' | 'documents'
>;

/** How the gateway treats subgraphs and clients' budgets (timeouts, breaker, retries, warm-up). */
export type GatewaySettings = Pick<
  GatewayOptions,
  'resilience' | 'subgraphTimeouts' | 'requestTimeoutMs' | 'warmUp' | 'readyCacheMs' | 'rateLimits'
>;

export interface SupergraphOptions {
  db: Database;
  supergraphSdl: string;
  flags: FlagSettings;
  auth: AuthConfig;
  signingSecret: string;
  /** gateway port; subgraphs listen on port+1…port+6 (0: any free ports) */
  port: number;
  host?: string;
  development: boolean;
  /** default: as `development` implies (no CORS, APQ and ad-hoc documents accepted) */
  edge?: EdgeSettings;
  /** default: 5 s per fetch, 10 s per request, warm-up before ready */
  gateway?: GatewaySettings;
  /** how long a stop lets requests in flight finish (default 10 s) */
  graceMs?: number;
  /**
   * how the gateway calls the subgraphs of this process: `local` (default) without HTTP, the
   * answer handed over as an object; `http` over their listeners, as a split deployment does
   */
  subgraphCalls?: 'local' | 'http';
  logLevel?: string;
  /** how often due scheduled catalog versions are announced (default 5 s; 0: not in this process) */
  catalogSchedulerIntervalMs?: number;
  /**
   * the webhook dispatcher in this process (it works while ENABLE_EVENT_DISPATCHER is on):
   * settings beside the environment's, or false for none (default: started)
   */
  webhookDispatcher?: Partial<DispatcherOptions> | false;
  /** the embedded demo's webhook receiver and subscription, for this organization's events */
  demoWebhooksFor?: string;
  /** how often SLA clocks are checked for warnings and breaches (default 30 s; 0: not in this process) */
  slaSchedulerIntervalMs?: number;
  /** where log lines go (stdout by default); tests capture them */
  logDestination?: DestinationStream;
  /** shared across runs in one process (tests); a fresh registry otherwise */
  metrics?: Metrics;
}

export interface RunningSupergraph {
  url: string;
  subgraphs: Record<string, string>;
  metrics: Metrics;
  /** the webhook dispatcher of this process, if started; `stop()` finishes its batch */
  dispatcher?: RunningDispatcher;
  /** replaces the flag settings in force (operators' flag service; tests) */
  setFlags(settings: FlagSettings): void;
  close(): Promise<void>;
}

/**
 * Applies every slice's pending migrations (one migration history per slice, as the migrator
 * role when it exists), then ensures the roles, ownership and grants (`pnpm db:roles`).
 */
export async function migrateAll(db: Database): Promise<Record<string, string[]>> {
  return migrateAllSlices(db);
}

/** The edge with the demo webhook receiver mounted at /demo/webhook-receiver. */
function withDemoReceiver<T extends { intercept?: Intercept }>(edge: T, secret: string): T {
  const receive = demoReceiver(secret);
  const inner = edge.intercept;
  return {
    ...edge,
    intercept: async (req, res) =>
      (await receive(req, res)) || ((await inner?.(req, res)) ?? false),
  };
}
type Intercept = NonNullable<ReturnType<typeof gatewayHttpOptions>['intercept']>;

/** Runs the gateway and all six subgraphs in this process, on one database. */
export async function startSupergraph(options: SupergraphOptions): Promise<RunningSupergraph> {
  const host = options.host ?? '127.0.0.1';
  const metrics = options.metrics ?? new Metrics();
  observeStatements(options.db, metrics);
  const logger = createLogger('trellis', {
    level: options.logLevel,
    destination: options.logDestination,
  });
  options.db.onConnectionError((err) =>
    logger.warn({ err }, 'database connection lost; the pool reconnects'),
  );
  const flagProvider = new SettingsFlagProvider(options.flags);
  const flags = new Flags(flagProvider);
  const deps: SubgraphDeps = { db: options.db, flags, metrics, logger };
  const running: RunningService[] = [];
  const operations = operationNamesOf(options.edge?.documents ?? committedTrustedDocuments());
  const subgraphs: Record<string, string> = {};
  const locals: Record<string, LocalSubgraph> = {};
  try {
    for (const module of SUBGRAPHS) {
      const port = options.port === 0 ? 0 : options.port + SUBGRAPH_PORT_OFFSET[module.name];
      const http = subgraphHttpOptions(module.create(deps), deps, {
        port,
        host,
        signingSecret: options.signingSecret,
        development: options.development,
        operations,
        serveMetrics: false,
      });
      // the listener serves health, readiness and callers beside this process's gateway
      const service = await listen(http, port, host, options.graceMs);
      running.push(service);
      subgraphs[module.name] = service.url;
      if (options.subgraphCalls !== 'http') locals[module.name] = localHandler(http);
    }
    const edge = gatewayHttpOptions({
      supergraphSdl: options.supergraphSdl,
      subgraphUrls: subgraphs,
      localSubgraphs: locals,
      signingSecret: options.signingSecret,
      auth: options.auth,
      development: options.development,
      ...options.edge,
      ...options.gateway,
      logger,
      metrics,
    });
    // the demo's subscription names the gateway's own port, so it needs a fixed one
    const demoSecret =
      options.demoWebhooksFor && options.port !== 0
        ? await ensureDemoSubscription(
            options.db,
            options.demoWebhooksFor,
            `http://${host}:${options.port}${DEMO_RECEIVER_PATH}`,
          )
        : undefined;
    const gateway = await listen(
      demoSecret ? withDemoReceiver(edge, demoSecret) : edge,
      options.port,
      host,
      options.graceMs,
    );
    running.push(gateway);
    // the first client pays no warm-up, and no statement of it lands after the start
    await gateway.warmed;
    const scheduler =
      options.catalogSchedulerIntervalMs === 0
        ? undefined
        : startCatalogScheduler(deps, { intervalMs: options.catalogSchedulerIntervalMs });
    const dispatcher =
      options.webhookDispatcher === false
        ? undefined
        : startDispatcher(deps, options.webhookDispatcher);
    const slaScheduler =
      options.slaSchedulerIntervalMs === 0
        ? undefined
        : startSlaScheduler(deps, { intervalMs: options.slaSchedulerIntervalMs });
    return {
      url: gateway.url,
      subgraphs,
      metrics,
      dispatcher,
      setFlags: (settings) => flagProvider.update(settings),
      // the gateway first (it finishes its requests in flight while the subgraphs still
      // answer), the scheduler after its current pass, then the subgraphs
      async close() {
        const [gatewayService, ...subgraphServices] = running.reverse();
        await gatewayService?.close();
        await dispatcher?.stop();
        await scheduler?.stop();
        await slaScheduler?.stop();
        await Promise.all(subgraphServices.map((service) => service.close()));
      },
    };
  } catch (error) {
    for (const service of running.reverse()) await service.close();
    throw error;
  }
}
