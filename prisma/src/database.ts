import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { SLICES, type SliceName } from './slices.js';

/** Called for every SQL statement a slice sends (Prometheus `db_statements_total`). */
export type StatementListener = (slice: SliceName) => void;

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir?: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

/**
 * One database for the process: PGlite (embedded, one connection shared by every slice)
 * or PostgreSQL (one pool per slice). Hands out driver adapters per slice.
 */
export interface Database {
  readonly kind: DatabaseConfig['kind'];
  /** Adapter for a slice's runtime Prisma client; every statement is reported. */
  adapter(slice: SliceName): SqlDriverAdapterFactory;
  /** Adapter for the schema engine, with the slice's schema first on the search_path. */
  migrationAdapter(slice: SliceName): Promise<{
    adapter: SqlMigrationAwareDriverAdapterFactory;
    release(): Promise<void>;
  }>;
  /** Runs a multi-statement script as one request (simple query protocol). */
  exec(script: string): Promise<void>;
  /** Plain SQL for bootstrap tasks (roles, checks). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  onStatement(listener: StatementListener): void;
  /** Errors of idle pooled connections (a restarted server, a killed backend): reported, not fatal. */
  onConnectionError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config);
}

function statementCounter() {
  const listeners: StatementListener[] = [];
  return {
    listeners,
    wrap(slice: SliceName, factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
      const count = () => {
        for (const l of listeners) l(slice);
      };
      return {
        provider: factory.provider,
        adapterName: factory.adapterName,
        connect: async () => countingAdapter(await factory.connect(), count),
      };
    },
  };
}

function countQueries<T extends SqlQueryable>(target: T, count: () => void): T {
  const queryRaw = target.queryRaw.bind(target);
  const executeRaw = target.executeRaw.bind(target);
  target.queryRaw = (q) => {
    count();
    return queryRaw(q);
  };
  target.executeRaw = (q) => {
    count();
    return executeRaw(q);
  };
  return target;
}

function countingAdapter(adapter: SqlDriverAdapter, count: () => void): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolation) =>
    countQueries<Transaction>(await startTransaction(isolation), count);
  return countQueries(adapter, count);
}

async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  await db.waitReady;
  const counter = statementCounter();
  const factory = new PrismaPGlite(db);
  // PGlite is one connection: the engine's search_path is set on it while a slice migrates.
  let migrating: Promise<void> = Promise.resolve();
  return {
    kind: 'pglite',
    adapter: (slice) => counter.wrap(slice, factory),
    async migrationAdapter(slice) {
      const previous = migrating;
      let done!: () => void;
      migrating = new Promise((resolve) => {
        done = resolve;
      });
      await previous;
      await db.exec(
        `CREATE SCHEMA IF NOT EXISTS "${SLICES[slice]}"; SET search_path TO "${SLICES[slice]}"`,
      );
      return {
        adapter: factory,
        async release() {
          await db.exec('SET search_path TO "$user", public');
          done();
        },
      };
    },
    async exec(script) {
      await db.exec(script);
    },
    async query(sql, params) {
      return (await db.query(sql, params)).rows as never;
    },
    onStatement: (l) => counter.listeners.push(l),
    onConnectionError: () => {},
    close: () => db.close(),
  };
}

async function openPostgres(config: { url: string; poolSize?: number }): Promise<Database> {
  const counter = statementCounter();
  const pools = new Map<SliceName, pg.Pool>();
  const errorListeners: ((error: Error) => void)[] = [];
  // without a listener, an idle client's error (server restart, killed backend) would crash
  // the process; the pool drops that client and opens a new one on demand
  const watched = (pool: pg.Pool) =>
    pool.on('error', (error) => {
      for (const listener of errorListeners) listener(error);
    });
  const admin = watched(new pg.Pool({ connectionString: config.url, max: 2 }));
  const poolFor = (slice: SliceName) => {
    let pool = pools.get(slice);
    if (!pool) {
      pool = watched(new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 }));
      pools.set(slice, pool);
    }
    return pool;
  };
  return {
    kind: 'postgres',
    adapter: (slice) =>
      counter.wrap(slice, new PrismaPg(poolFor(slice), { schema: SLICES[slice] })),
    async migrationAdapter(slice) {
      const schema = SLICES[slice];
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const pool = watched(
        new pg.Pool({ connectionString: config.url, max: 2, options: `-c search_path=${schema}` }),
      );
      return {
        adapter: wholeScriptAdapter(new PrismaPg(pool, { schema }), pool),
        release: () => pool.end(),
      };
    },
    async exec(script) {
      await admin.query(script);
    },
    async query(sql, params) {
      return (await admin.query(sql, params as unknown[])).rows;
    },
    onStatement: (l) => counter.listeners.push(l),
    onConnectionError: (l) => errorListeners.push(l),
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      await admin.end();
    },
  };
}

/**
 * PrismaPg's `executeScript` splits a migration on every `;`, which breaks function bodies
 * (`$$ … ; … $$`) and comments. PostgreSQL's simple query protocol takes the whole script as
 * one request, exactly as psql would send it, so migrations run through that instead.
 */
function wholeScriptAdapter(
  factory: PrismaPg,
  pool: pg.Pool,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      adapter.executeScript = async (script) => {
        await pool.query(script);
      };
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
