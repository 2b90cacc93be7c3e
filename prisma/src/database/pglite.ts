import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { runtimeRole } from '../roles.js';
import { pgliteMigrationAdapters } from './migration-adapters.js';
import { statementCounter } from './statements.js';
import { tenantAdapterFactory } from './tenant-adapter.js';
import type { Database } from './types.js';

/**
 * Extensions the migrations create (org-graph's relationship exclusion constraint needs
 * btree_gist): PGlite can only load those it was constructed with.
 */
export const PGLITE_EXTENSIONS = { btree_gist };

/** Prisma's PGlite adapter, whose shadow database (diff, drift) replays the migrations too. */
function pgliteFactory(db: PGlite): PrismaPGlite {
  const factory = new PrismaPGlite(db);
  factory.connectToShadowDb = () =>
    new PrismaPGlite(
      new PGlite({ dataDir: 'memory://shadow', extensions: PGLITE_EXTENSIONS }),
    ).connect();
  return factory;
}

/** The embedded database: PGlite in `dataDir` (in memory without one), one connection for all. */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({ dataDir, extensions: PGLITE_EXTENSIONS });
  await db.waitReady;
  const counter = statementCounter();
  const factory = pgliteFactory(db);
  return {
    kind: 'pglite',
    // one connection for every slice: a request shares one transaction across slices
    adapter: (slice) =>
      tenantAdapterFactory(counter.counted(slice, factory), runtimeRole(slice), 'pglite'),
    ownerAdapter: (slice) => counter.counted(slice, factory),
    migrationAdapter: pgliteMigrationAdapters(db, factory),
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
