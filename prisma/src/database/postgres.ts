import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { runtimeRole } from '../roles.js';
import { SLICES, type SliceName } from '../slices.js';
import { postgresMigrationAdapters } from './migration-adapters.js';
import { statementCounter, statementKind } from './statements.js';
import { runtimePool } from './tenancy-query.js';
import { tenantAdapterFactory } from './tenant-adapter.js';
import type { Database, DatabaseConfig } from './types.js';

/** The connection string of a slice's own login role (same server and database). */
export function runtimeLoginUrl(url: string, slice: SliceName, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(runtimeRole(slice));
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Named (prepared) statements: each connection parses and plans a statement the slices send
 * once, not on every request. Transaction control stays unnamed (BEGIN must stay a simple
 * query to carry the settings); past `PREPARED_MAX` distinct texts (a statement whose text
 * varies, e.g. with a list's length) the rest stay unnamed, so no connection holds an
 * unbounded number of plans.
 */
const PREPARED_MAX = 500;
function statementNames() {
  const names = new Map<string, string>();
  return (query: SqlQuery): string => {
    let name = names.get(query.sql);
    if (name === undefined) {
      name =
        names.size < PREPARED_MAX && statementKind(query.sql) === 'query'
          ? `t${createHash('sha1').update(query.sql).digest('base64url')}`
          : '';
      names.set(query.sql, name);
    }
    return name;
  };
}

/** PostgreSQL: one pool per slice (created on first use) and one for bootstrap work. */
export async function openPostgres(
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
        runtimePool(
          {
            connectionString: password ? runtimeLoginUrl(config.url, slice, password) : config.url,
            max: config.poolSize ?? 10,
          },
          runtimeRole(slice),
        ),
      );
      pools.set(slice, pool);
    }
    return pool;
  };
  const statementName = statementNames();
  return {
    kind: 'postgres',
    adapter: (slice) =>
      tenantAdapterFactory(
        counter.counted(
          slice,
          new PrismaPg(poolFor(slice), {
            schema: SLICES[slice],
            statementNameGenerator: statementName,
          }),
        ),
        runtimeRole(slice),
        slice,
        { settingsByDriver: true },
      ),
    ownerAdapter: (slice) => counter.counted(slice, new PrismaPg(admin, { schema: SLICES[slice] })),
    migrationAdapter: postgresMigrationAdapters(config.url, admin, (options) =>
      watched(new pg.Pool(options)),
    ),
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
