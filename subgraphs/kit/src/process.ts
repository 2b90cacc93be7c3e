import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Database, databaseFromEnv, migrateSlice, type SliceName } from '@trellis/prisma';
import { z } from 'zod';
import { operationNamesIn } from './apollo.js';
import { baseConfig, environmentOf, parseConfig, port } from './config.js';
import { observeStatements } from './deadline.js';
import { Flags, loadFlagSettings } from './flags.js';
import { assertPortsFree } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { type SubgraphDeps, type SubgraphService, startSubgraph } from './subgraph.js';
import { startTracing } from './tracing.js';

/** Default ports: the gateway on 4000, the subgraphs on 4001-4006 in this order. */
export const SUBGRAPH_PORT_OFFSET: Record<SliceName, number> = {
  'org-graph': 1,
  catalog: 2,
  pricing: 3,
  'service-policy': 4,
  workforce: 5,
  agreements: 6,
};

const subgraphConfig = baseConfig.extend({
  PORT: port(4000),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_SIGNING_SECRET: z.string().min(32),
  MIGRATE_ON_START: z.enum(['true', 'false']).default('false'),
  /** at SIGTERM, how long requests in flight may take to finish, in ms */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1).default(10_000),
  /** the gateway's trusted-documents manifest: the operation names metrics label by name */
  TRUSTED_DOCUMENTS_FILE: z
    .string()
    .default(fileURLToPath(new URL('../../../gateway/trusted-documents.json', import.meta.url))),
});

/** Where the database is, for messages: host and port, never credentials. */
export const databaseLocation = (url: string | undefined) => {
  if (!url) return 'embedded (PGlite)';
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'DATABASE_URL';
  }
};

/**
 * Fails a start whose database does not answer (within `timeoutMs`): a process must not say
 * it is up when it cannot serve.
 */
export async function assertDatabaseReachable(
  db: Database,
  url: string | undefined,
  timeoutMs = 5_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new Error(`the database at ${databaseLocation(url)} does not answer (${reason})`);
  } finally {
    clearTimeout(timer);
  }
}

/** A start that cannot go on: one clear line, exit code 1, nothing claims to be up. */
export function failStart(logger: Logger, error: unknown): never {
  logger.fatal({ reason: (error as Error).message }, `cannot start: ${(error as Error).message}`);
  process.exit(1);
}

/** Shared process-level dependencies, created once. */
export function processDeps(db: Database, name: string, env = process.env): SubgraphDeps {
  const metrics = new Metrics();
  observeStatements(db, metrics);
  const logger = createLogger(name);
  db.onConnectionError((err) =>
    logger.warn({ err }, 'database connection lost; the pool reconnects'),
  );
  return { db, metrics, flags: Flags.fromSettings(loadFlagSettings(env)), logger };
}

/** Entry point of a subgraph running as its own process (`pnpm --filter <subgraph> start`). */
export async function runSubgraph<S extends SubgraphService>(
  name: SliceName,
  create: (deps: SubgraphDeps) => S,
): Promise<void> {
  const config = parseConfig(subgraphConfig);
  const tracing = startTracing(`trellis-${name}`);
  const port = Number(
    process.env[`${name.toUpperCase().replace('-', '_')}_PORT`] ??
      config.PORT + SUBGRAPH_PORT_OFFSET[name],
  );
  const startLogger = createLogger(name);
  // a second start on a used port stops here, before it migrates anything
  await assertPortsFree([port], config.HOST).catch((e) => failStart(startLogger, e));
  const db = await databaseFromEnv();
  await assertDatabaseReachable(db, config.DATABASE_URL).catch((e) => failStart(startLogger, e));
  const deps = processDeps(db, name);
  if (config.MIGRATE_ON_START === 'true') await migrateSlice(db, name);
  const running = await startSubgraph(create(deps), deps, {
    port,
    host: config.HOST,
    signingSecret: config.GATEWAY_SIGNING_SECRET,
    development: environmentOf(config) === 'development',
    graceMs: config.SHUTDOWN_GRACE_MS,
    operations: operationNamesIn(config.TRUSTED_DOCUMENTS_FILE),
  });
  deps.logger.info({ url: running.url }, `${name} subgraph listening`);
  const stop = async () => {
    deps.logger.info('stopping: finishing the requests in flight');
    await running.close();
    await db.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export const randomSecret = () => randomBytes(32).toString('base64url');
