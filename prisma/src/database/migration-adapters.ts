import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATOR_ROLE, MIGRATOR_USABLE } from '../roles.js';
import { SLICES, type SliceName } from '../slices.js';
import type { MigrationAdapter } from './types.js';

/**
 * The schema engine's adapters, and what each driver needs so that Prisma's engine can migrate
 * a slice as the migrator role with the slice's schema first on the search_path.
 */

/** Creates a slice's schema (owned by the migrator when there is one) before its engine runs. */
export const createSchema = (schema: string, asMigrator: boolean) =>
  `CREATE SCHEMA IF NOT EXISTS "${schema}"${asMigrator ? ` AUTHORIZATION "${MIGRATOR_ROLE}"` : ''}`;

/**
 * PGlite is one connection: the engine's search_path (and role) is set on it while a slice
 * migrates, so slices migrate one at a time and `release` resets the connection.
 */
export function pgliteMigrationAdapters(
  db: PGlite,
  factory: PrismaPGlite,
): (slice: SliceName) => Promise<MigrationAdapter> {
  let migrating: Promise<void> = Promise.resolve();
  return async (slice) => {
    const previous = migrating;
    let done!: () => void;
    migrating = new Promise((resolve) => {
      done = resolve;
    });
    await previous;
    const [{ usable } = { usable: false }] = (await db.query<{ usable: boolean }>(MIGRATOR_USABLE))
      .rows;
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
  };
}

/**
 * PostgreSQL: a small pool of its own per migration (`pool` makes one watched for errors), whose
 * connections start with the slice's search_path and the migrator role; `release` ends it.
 */
export function postgresMigrationAdapters(
  url: string,
  admin: pg.Pool,
  pool: (config: pg.PoolConfig) => pg.Pool,
): (slice: SliceName) => Promise<MigrationAdapter> {
  return async (slice) => {
    const schema = SLICES[slice];
    const { usable } = (await admin.query<{ usable: boolean }>(MIGRATOR_USABLE)).rows[0]!;
    await admin.query(createSchema(schema, usable));
    const migrating = pool({
      connectionString: url,
      max: 2,
      options: `-c search_path=${schema}${usable ? ` -c role=${MIGRATOR_ROLE}` : ''}`,
    });
    return {
      adapter: wholeScriptAdapter(new PrismaPg(migrating, { schema }), migrating),
      release: () => migrating.end(),
    };
  };
}

/**
 * PrismaPg's `executeScript` splits a migration on every `;`, which breaks function bodies
 * (`$$ … ; … $$`) and comments. PostgreSQL's simple query protocol takes the whole script as
 * one request, exactly as psql would send it, so migrations run through that instead.
 */
export function wholeScriptAdapter(
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
