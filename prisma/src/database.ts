import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  ArgType,
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PGLITE_EXTENSIONS, pgliteFactory } from './pglite.js';
import { MIGRATOR_ROLE, MIGRATOR_USABLE, runtimeRole } from './roles.js';
import { SLICES, type SliceName } from './slices.js';
import {
  currentTenancy,
  endSharedTransactions,
  type SharedTransaction,
  sharedTransaction,
  type Tenancy,
} from './tenancy.js';

/**
 * What a statement was: `query` is what the slice's code asked for (Prisma's SQL, raw SQL);
 * `control` is transaction control and the tenancy settings the runtime adapter adds around it
 * (BEGIN, `set_config(…)`, COMMIT/ROLLBACK). Both are sent to the database.
 */
export type StatementKind = 'query' | 'control';

/** Called for every SQL statement a slice sends (Prometheus `db_statements_total`). */
export type StatementListener = (slice: SliceName, kind: StatementKind) => void;

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir?: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /**
       * Slices whose runtime pool logs in as the slice's own role (`trellis_<schema>`) with
       * this password; the others connect as the user of `url` and switch role per transaction.
       */
      runtimePasswords?: Partial<Record<SliceName, string>>;
    };

/**
 * One database for the process: PGlite (embedded, one connection shared by every slice)
 * or PostgreSQL (one pool per slice). Hands out driver adapters per slice.
 */
export interface Database {
  readonly kind: DatabaseConfig['kind'];
  /**
   * Adapter for a slice's runtime Prisma client. Every statement runs inside a transaction
   * whose first statement switches to the slice's runtime role and sets the current tenancy
   * (`currentTenancy()`) transaction-locally; without one the settings are empty and row-level
   * security shows no tenant rows (fail closed). Every statement is reported.
   */
  adapter(slice: SliceName): SqlDriverAdapterFactory;
  /**
   * Adapter that runs as the connecting (owner/administrator) user, without role switch or
   * tenancy: bootstrap code only (demo seed, tools). Every statement is reported.
   */
  ownerAdapter(slice: SliceName): SqlDriverAdapterFactory;
  /** Adapter for the schema engine, with the slice's schema first on the search_path. */
  migrationAdapter(slice: SliceName): Promise<{
    adapter: SqlMigrationAwareDriverAdapterFactory;
    release(): Promise<void>;
  }>;
  /** Runs a multi-statement script as one request (simple query protocol). */
  exec(script: string): Promise<void>;
  /** Plain SQL for bootstrap tasks (roles, checks), as the connecting user. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Reports statements of the given kinds (by default what the slices' code asks for). */
  onStatement(listener: StatementListener, kinds?: readonly StatementKind[]): void;
  /** Errors of idle pooled connections (a restarted server, a killed backend): reported, not fatal. */
  onConnectionError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config);
}

function statementCounter() {
  const listeners: { listener: StatementListener; kinds: readonly StatementKind[] }[] = [];
  const counter = (slice: SliceName) => (kind: StatementKind) => {
    for (const l of listeners) if (l.kinds.includes(kind)) l.listener(slice, kind);
  };
  const counted = (
    slice: SliceName,
    factory: SqlDriverAdapterFactory,
  ): SqlDriverAdapterFactory => ({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => countingAdapter(await factory.connect(), counter(slice)),
  });
  return {
    on(listener: StatementListener, kinds: readonly StatementKind[] = ['query']) {
      listeners.push({ listener, kinds });
    },
    /** counting only: statements run as the connecting user */
    owner: counted,
    /**
     * tenancy over counting, so what is counted is what is sent; `connection` names what the
     * adapter's transactions hold (a request shares one transaction per connection source)
     */
    runtime(
      slice: SliceName,
      factory: SqlDriverAdapterFactory,
      connection: string,
    ): SqlDriverAdapterFactory {
      const inner = counted(slice, factory);
      return {
        provider: inner.provider,
        adapterName: inner.adapterName,
        connect: async () => tenantAdapter(await inner.connect(), runtimeRole(slice), connection),
      };
    },
  };
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION)\b/i;

function countQueries<T extends SqlQueryable>(target: T, count: (kind: StatementKind) => void): T {
  const queryRaw = target.queryRaw.bind(target);
  const executeRaw = target.executeRaw.bind(target);
  const kindOf = (sql: string): StatementKind =>
    CONTROL.test(sql) || sql.startsWith(SETTINGS_SQL) ? 'control' : 'query';
  target.queryRaw = (q) => {
    count(kindOf(q.sql));
    return queryRaw(q);
  };
  target.executeRaw = (q) => {
    count(kindOf(q.sql));
    return executeRaw(q);
  };
  return target;
}

function countingAdapter(
  adapter: SqlDriverAdapter,
  count: (kind: StatementKind) => void,
): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolation) => {
    // BEGIN (and SET TRANSACTION) are sent by the driver, not through queryRaw/executeRaw
    count('control');
    if (isolation) count('control');
    const tx = countQueries<Transaction>(await startTransaction(isolation), count);
    if (tx.options.usePhantomQuery) {
      // the driver sends COMMIT/ROLLBACK itself (PGlite); otherwise Prisma sends them as SQL
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = () => {
        count('control');
        return commit();
      };
      tx.rollback = () => {
        count('control');
        return rollback();
      };
    }
    return tx;
  };
  return countQueries(adapter, count);
}

/** The first statement of every runtime transaction: role and tenancy, transaction-local. */
const SETTINGS_SQL =
  "SELECT set_config('role', $1, true), set_config('app.org_id', $2, true), set_config('app.is_admin', $3, true), set_config('app.subject', $4, true), set_config('app.request_id', $5, true), set_config('app.on_behalf_of', $6, true)";
const TEXT_ARG: ArgType = { scalarType: 'string', arity: 'scalar' };

function settingsQuery(role: string, t: Tenancy | undefined): SqlQuery {
  return {
    sql: SETTINGS_SQL,
    args: [
      role,
      t?.orgId ?? '',
      t?.admin ? 'true' : 'false',
      t?.subject ?? '',
      t?.requestId ?? '',
      t?.onBehalfOf?.join(',') ?? '',
    ],
    argTypes: [TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG],
  };
}

const sql = (text: string): SqlQuery => ({ sql: text, args: [], argTypes: [] });

/** Ends a transaction the way Prisma's engine does for this driver. */
async function finish(tx: Transaction, commit: boolean): Promise<void> {
  if (tx.options.usePhantomQuery) {
    await (commit ? tx.commit() : tx.rollback());
    return;
  }
  if (!commit) {
    try {
      await tx.executeRaw(sql('ROLLBACK'));
    } finally {
      await tx.rollback();
    }
    return;
  }
  try {
    await tx.executeRaw(sql('COMMIT'));
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  await tx.commit();
}

/**
 * One transaction that the statements of a request share (`shareTransactions`): opened on the
 * first statement, one statement at a time, the settings re-applied when a statement runs for
 * another tenancy (a nested `withTenancy`). A failed statement rolls the transaction back and
 * the next one opens a new transaction, as if each had run alone.
 */
class RequestTransaction implements SharedTransaction {
  #tx: Transaction | undefined;
  #applied: { role: string; tenancy: Tenancy | undefined } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** `begin` opens a transaction and applies the settings of `role` and the current tenancy */
  constructor(
    private readonly begin: () => Promise<Transaction>,
    private readonly role: string,
  ) {}

  run<R>(role: string, statement: (tx: Transaction) => Promise<R>): Promise<R> {
    const tenancy = currentTenancy();
    const result = this.#queue.then(async () => {
      if (!this.#tx) {
        this.#tx = await this.begin();
        this.#applied = { role: this.role, tenancy };
      }
      const tx = this.#tx;
      try {
        if (this.#applied?.role !== role || this.#applied.tenancy !== tenancy) {
          await tx.executeRaw(settingsQuery(role, tenancy));
          this.#applied = { role, tenancy };
        }
        return await statement(tx);
      } catch (error) {
        this.#tx = undefined;
        this.#applied = undefined;
        await finish(tx, false).catch(() => {});
        throw error;
      }
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  async end(): Promise<void> {
    await this.#queue;
    const tx = this.#tx;
    this.#tx = undefined;
    this.#applied = undefined;
    if (tx) await finish(tx, true);
  }
}

/**
 * The runtime adapter: the slice's role and the current tenancy hold for every statement.
 * A transaction starts with the settings statement; a statement outside a transaction becomes
 * BEGIN, settings, statement, COMMIT, unless its request shares a transaction
 * (`shareTransactions`), which then takes it. The settings are transaction-local
 * (`set_config(…, true)` is SET LOCAL), so a pooled connection carries nothing over to the next
 * transaction.
 */
function tenantAdapter(
  adapter: SqlDriverAdapter,
  role: string,
  connection: string,
): SqlDriverAdapter {
  const begin = async (isolation?: IsolationLevel): Promise<Transaction> => {
    const tx = await adapter.startTransaction(isolation);
    try {
      await tx.executeRaw(settingsQuery(role, currentTenancy()));
    } catch (error) {
      await finish(tx, false).catch(() => {});
      throw error;
    }
    return tx;
  };
  const once = async <R>(run: (tx: Transaction) => Promise<R>): Promise<R> => {
    const shared = sharedTransaction(connection, () => new RequestTransaction(begin, role));
    if (shared) return shared.run(role, run);
    const tx = await begin();
    let result: R;
    try {
      result = await run(tx);
    } catch (error) {
      await finish(tx, false).catch(() => {});
      throw error;
    }
    await finish(tx, true);
    return result;
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (q) => once((tx) => tx.queryRaw(q)),
    executeRaw: (q) => once((tx) => tx.executeRaw(q)),
    executeScript: async () => {
      throw new Error('scripts do not run through a runtime adapter (use Database.exec)');
    },
    // a Prisma transaction holds a connection of its own: the request's shared one is committed
    // first (PGlite has a single connection, which the shared transaction would hold)
    startTransaction: async (isolation) => {
      await endSharedTransactions();
      return begin(isolation);
    },
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
  };
}

/** Creates a slice's schema (owned by the migrator when there is one) before its engine runs. */
const createSchema = (schema: string, asMigrator: boolean) =>
  `CREATE SCHEMA IF NOT EXISTS "${schema}"${asMigrator ? ` AUTHORIZATION "${MIGRATOR_ROLE}"` : ''}`;

async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({ dataDir, extensions: PGLITE_EXTENSIONS });
  await db.waitReady;
  const counter = statementCounter();
  const factory = pgliteFactory(db);
  // PGlite is one connection: the engine's search_path (and role) is set on it while a slice
  // migrates.
  let migrating: Promise<void> = Promise.resolve();
  return {
    kind: 'pglite',
    // one connection for every slice: a request shares one transaction across slices
    adapter: (slice) => counter.runtime(slice, factory, 'pglite'),
    ownerAdapter: (slice) => counter.owner(slice, factory),
    async migrationAdapter(slice) {
      const previous = migrating;
      let done!: () => void;
      migrating = new Promise((resolve) => {
        done = resolve;
      });
      await previous;
      const [{ usable } = { usable: false }] = (
        await db.query<{ usable: boolean }>(MIGRATOR_USABLE)
      ).rows;
      await db.exec(
        `${createSchema(SLICES[slice], usable)}; SET search_path TO "${SLICES[slice]}"${usable ? `; SET ROLE "${MIGRATOR_ROLE}"` : ''}`,
      );
      return {
        adapter: factory,
        async release() {
          await db.exec('RESET ROLE; SET search_path TO "$user", public');
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
    onStatement: (l, kinds) => counter.on(l, kinds),
    onConnectionError: () => {},
    close: () => db.close(),
  };
}

/** The connection string of a slice's own login role (same server and database). */
function runtimeLoginUrl(url: string, slice: SliceName, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(runtimeRole(slice));
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function openPostgres(
  config: Extract<DatabaseConfig, { kind: 'postgres' }>,
): Promise<Database> {
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
      const password = config.runtimePasswords?.[slice];
      pool = watched(
        new pg.Pool({
          connectionString: password ? runtimeLoginUrl(config.url, slice, password) : config.url,
          max: config.poolSize ?? 10,
        }),
      );
      pools.set(slice, pool);
    }
    return pool;
  };
  return {
    kind: 'postgres',
    adapter: (slice) =>
      counter.runtime(slice, new PrismaPg(poolFor(slice), { schema: SLICES[slice] }), slice),
    ownerAdapter: (slice) => counter.owner(slice, new PrismaPg(admin, { schema: SLICES[slice] })),
    async migrationAdapter(slice) {
      const schema = SLICES[slice];
      const { usable } = (await admin.query<{ usable: boolean }>(MIGRATOR_USABLE)).rows[0]!;
      await admin.query(createSchema(schema, usable));
      const pool = watched(
        new pg.Pool({
          connectionString: config.url,
          max: 2,
          options: `-c search_path=${schema}${usable ? ` -c role=${MIGRATOR_ROLE}` : ''}`,
        }),
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
    onStatement: (l, kinds) => counter.on(l, kinds),
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
