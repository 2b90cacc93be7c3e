import { committedSupergraph, gatewayHttpOptions } from '@trellis/gateway';
import {
  assertDatabaseReachable,
  assertPortsFree,
  createLogger,
  failStart,
  listen,
  loadFlagSettings,
  Metrics,
  parseConfig,
  randomSecret,
  SUBGRAPH_PORT_OFFSET,
  startTracing,
} from '@trellis/kit';
import { databaseFromEnv } from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { gatewayConfig } from './config.js';
import { type EdgeSettings, migrateAll, startSupergraph } from './runtime.js';
import { joinWorkers, runWorkers, workerIndex } from './workers.js';

const config = parseConfig(gatewayConfig);
const logger = createLogger('trellis', config.LOG_LEVEL);
/** set when this process is one of WORKERS processes behind the primary's ports */
const worker = workerIndex();
/** the primary of several workers only starts, watches and stops them */
const supervising = config.WORKERS > 1 && worker === undefined;
// off unless an OTLP endpoint is configured (OTEL_* variables, docs/ops/tracing.md)
const tracing = supervising
  ? undefined
  : startTracing(config.GATEWAY_MODE === 'gateway' ? 'trellis-gateway' : 'trellis');
if (tracing && !worker) logger.info('tracing on (OTLP/HTTP)');
const flags = loadFlagSettings({ ...process.env, FLAGS_PROFILE: config.flagsProfile });
const auth = {
  jwtSecret: config.AUTH_JWT_SECRET,
  jwksUrl: config.AUTH_JWKS_URL,
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
  demoAdmin: config.demoAdmin,
};
// in the embedded demo the gateway and the subgraphs share this process, so a fresh secret will do
const signingSecret = config.GATEWAY_SIGNING_SECRET ?? randomSecret();
const { development } = config;
const edge: EdgeSettings = {
  introspection: config.introspection,
  explorer: config.explorer && {
    token: config.EXPLORER_TOKEN,
    // the demo's flagship organization, so the examples answer as they are
    variables: config.embedded ? { orgId: demoOrgId('acme') } : undefined,
  },
  cors: { origins: config.corsOrigins, credentials: config.CORS_CREDENTIALS },
  trustedDocuments: config.TRUSTED_DOCUMENTS,
};

// a second start on a used port stops here, naming it, before anything is migrated
const ports =
  config.GATEWAY_MODE === 'gateway' || config.PORT === 0
    ? [config.PORT]
    : [config.PORT, ...Object.values(SUBGRAPH_PORT_OFFSET).map((o) => config.PORT + o)];
if (worker === undefined)
  await assertPortsFree(ports, config.HOST).catch((e) => failStart(logger, e));

let close: () => Promise<void>;
if (supervising) {
  if (config.GATEWAY_MODE === 'all') {
    const db = await databaseFromEnv();
    await assertDatabaseReachable(db, config.DATABASE_URL).catch((e) => failStart(logger, e));
    await db.close();
  }
  const workers = runWorkers(config.WORKERS, logger, config.SHUTDOWN_GRACE_MS + 5_000);
  const url = await workers.up.catch(async (e) => {
    await workers.stop();
    return failStart(logger, e);
  });
  logger.info(
    { url, workers: config.WORKERS, mode: config.GATEWAY_MODE, environment: config.environment },
    'Trellis is up',
  );
  close = workers.stop;
} else if (config.GATEWAY_MODE === 'gateway') {
  const metrics = new Metrics();
  const gateway = await listen(
    gatewayHttpOptions({
      supergraphSdl: committedSupergraph(),
      subgraphUrls: config.SUBGRAPH_URLS,
      signingSecret,
      auth,
      development,
      ...edge,
      ...config.gateway,
      logger,
      metrics,
    }),
    config.PORT,
    config.HOST,
    config.SHUTDOWN_GRACE_MS,
  );
  logger.info({ url: gateway.url, worker }, 'gateway listening');
  if (worker !== undefined) joinWorkers(metrics, gateway.url);
  close = gateway.close;
} else {
  const db = await databaseFromEnv();
  await assertDatabaseReachable(db, config.DATABASE_URL).catch((e) => failStart(logger, e));
  if (config.embedded) {
    const applied = await migrateAll(db);
    logger.info({ applied }, 'migrations applied');
    if (flags.ENABLE_ORG_SEED && (await seedDemo(db))) logger.info('demo data loaded');
  }
  const supergraph = await startSupergraph({
    db,
    supergraphSdl: committedSupergraph(),
    flags,
    auth,
    signingSecret,
    port: config.PORT,
    host: config.HOST,
    development,
    edge,
    gateway: config.gateway,
    graceMs: config.SHUTDOWN_GRACE_MS,
    subgraphCalls: config.SUBGRAPH_CALLS,
    logLevel: config.LOG_LEVEL,
    // background work runs once, in the first worker when there are several
    catalogSchedulerIntervalMs: worker ? 0 : config.CATALOG_SCHEDULER_INTERVAL_MS,
    webhookDispatcher: worker ? false : undefined,
    // the embedded demo delivers the flagship organization's events to its own receiver
    demoWebhooksFor:
      config.embedded && config.development && flags.ENABLE_ORG_SEED
        ? demoOrgId('acme')
        : undefined,
    slaSchedulerIntervalMs: worker ? 0 : config.SLA_SCHEDULER_INTERVAL_MS,
  });
  if (worker !== undefined) {
    // logged before the primary hears of it, so its "Trellis is up" comes after every worker's line
    logger.info({ url: supergraph.url, worker }, 'worker listening');
    joinWorkers(supergraph.metrics, supergraph.url);
  } else
    logger.info(
      {
        url: supergraph.url,
        subgraphs: supergraph.subgraphs,
        database: config.embedded ? 'pglite' : 'postgresql',
        environment: config.environment,
        explorer: config.explorer ? supergraph.url.replace(/graphql$/, '') : 'off',
        flags: config.flagsProfile,
      },
      config.demoAdmin
        ? 'Trellis is up (embedded demo: requests without a token act as the demo administrator)'
        : 'Trellis is up',
    );
  close = async () => {
    await supergraph.close();
    await db.close();
  };
}

// stop accepting, finish the requests in flight (up to SHUTDOWN_GRACE_MS), stop the
// scheduler after its current pass, close the pools; once, whichever signal comes first (a
// terminal's Ctrl-C reaches the workers and their primary, which then sends SIGTERM)
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, worker }, 'stopping: finishing the requests in flight');
  await close();
  await tracing?.shutdown();
  logger.info({ worker }, 'stopped');
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
// a worker whose primary is gone stops too
if (worker !== undefined) process.once('disconnect', () => stop('disconnect'));
