import pg from 'pg';
import { currentTenancy } from '../tenancy.js';
import { planCacheMode, SETTINGS_SQL, settingsScript, settingValues } from './settings.js';

/** The settings statement's name on every runtime connection (prepared before its first use). */
const SETTINGS_STATEMENT = 'trellis_settings';

/** The settings a statement taken by the pool runs with, captured where it was sent. */
const SETTINGS = Symbol('trellis.settings');

type Config = pg.QueryConfig & { [SETTINGS]?: string[] };
type Callback = (error: Error | null, result?: pg.QueryResult) => void;
/** What pg's `Query` does with the messages of its round trip (not in its typings). */
interface QueryProtocol {
  prepare(connection: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: unknown): void;
}
interface Connection {
  bind(options: { statement: string; values: string[] }): void;
  execute(options: object): void;
}

/**
 * A statement outside a transaction, sent with its settings in one round trip: the prepared
 * settings statement is bound and executed first, then the statement, then one Sync. Everything
 * before a Sync is one implicit transaction, so the settings (`set_config(…, true)`) hold for
 * the statement and end with it, and nothing is left on the connection. The settings
 * statement's answer is read and dropped; the caller gets the statement's alone.
 */
class TenancyQuery extends (pg.Query as unknown as new (
  config: Config,
  values: unknown,
  callback?: Callback,
) => pg.Query & QueryProtocol & { queryMode?: string; callback?: Callback }) {
  #settingsAnswer = true;

  constructor(
    private readonly settings: string[],
    config: Config,
    values: unknown,
    callback?: Callback,
  ) {
    super(config, values, callback);
    // a statement without parameters would otherwise go as a simple query, which cannot follow
    this.queryMode = 'extended';
  }

  override prepare(connection: unknown): void {
    const c = connection as Connection;
    c.bind({ statement: SETTINGS_STATEMENT, values: this.settings });
    c.execute({});
    super.prepare(connection);
  }

  override handleDataRow(message: unknown): void {
    if (!this.#settingsAnswer) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: unknown): void {
    if (this.#settingsAnswer) this.#settingsAnswer = false;
    else super.handleCommandComplete(message, connection);
  }
}

/**
 * A runtime pool, which applies the slice's role and the tenancy to everything it sends:
 * - a statement the pool takes (Prisma's statements outside a transaction) carries them in its
 *   own round trip (`TenancyQuery`), captured where it was sent: the pool may hand the
 *   connection over later, in another request's context;
 * - a transaction's BEGIN (simple protocol) becomes the batch `BEGIN; SELECT set_config(…)`.
 * Each connection prepares the settings statement before the pool hands it out (its `verify`
 * step); a connection that cannot is not handed out, and the statement waiting for it fails.
 */
export function runtimePool(config: pg.PoolConfig, role: string): pg.Pool {
  const pool = new pg.Pool({
    ...config,
    verify: (client, done) => {
      // settings for nobody: executed once to prepare it, they end with their implicit transaction
      client.query(
        { name: SETTINGS_STATEMENT, text: SETTINGS_SQL, values: settingValues(role, undefined) },
        (error: Error | undefined) => done(error),
      );
    },
  } as pg.PoolConfig);
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((config: string | Config, ...rest: unknown[]) => {
    const query = typeof config === 'string' ? { text: config } : config;
    return poolQuery(
      {
        ...query,
        [SETTINGS]: settingValues(role, currentTenancy(), planCacheMode(query.text)),
      },
      ...rest,
    );
  }) as typeof pool.query;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((config: Config, values?: unknown, callback?: Callback) => {
      const settings = config?.[SETTINGS];
      if (settings) {
        const done = typeof values === 'function' ? (values as Callback) : callback;
        const args = typeof values === 'function' ? undefined : values;
        if (done) return query(new TenancyQuery(settings, config, args, done));
        return new Promise((resolve, reject) =>
          query(
            new TenancyQuery(settings, config, args, (error, result) =>
              error ? reject(error) : resolve(result),
            ),
          ),
        );
      }
      return query(
        config?.text === 'BEGIN'
          ? { ...config, text: `BEGIN; ${settingsScript(role, currentTenancy())}` }
          : config,
        values,
        callback,
      );
    }) as typeof client.query;
  });
  return pool;
}
