import { randomBytes } from 'node:crypto';
import { type Database, databaseFromEnv, migrateSlice, type SliceName } from '@trellis/prisma';
import { z } from 'zod';
import { baseConfig, environmentOf, parseConfig, port } from './config.js';
import { observeStatements } from './deadline.js';
import { Flags, loadFlagSettings } from './flags.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { type SubgraphDeps, type SubgraphService, startSubgraph } from './subgraph.js';

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
});

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
  const db = await databaseFromEnv();
  const deps = processDeps(db, name);
  if (config.MIGRATE_ON_START === 'true') await migrateSlice(db, name);
  const port = Number(
    process.env[`${name.toUpperCase().replace('-', '_')}_PORT`] ??
      config.PORT + SUBGRAPH_PORT_OFFSET[name],
  );
  const running = await startSubgraph(create(deps), deps, {
    port,
    host: config.HOST,
    signingSecret: config.GATEWAY_SIGNING_SECRET,
    development: environmentOf(config) === 'development',
  });
  deps.logger.info({ url: running.url }, `${name} subgraph listening`);
  const stop = async () => {
    await running.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export const randomSecret = () => randomBytes(32).toString('base64url');
