import { openPglite } from './database/pglite.js';
import { openPostgres } from './database/postgres.js';
import type { Database, DatabaseConfig } from './database/types.js';

export { type SqlReader, sqlReader, withSqlReader } from './database/reader.js';

export type {
  Database,
  DatabaseConfig,
  MigrationAdapter,
  StatementKind,
  StatementListener,
} from './database/types.js';

/**
 * Opens the process's database. The pieces, one concern each, live in `database/`: the two
 * factories (`pglite.ts`, `postgres.ts`), statement counting (`statements.ts`), the tenant
 * adapter (`tenant-adapter.ts`) and the request's shared transaction
 * (`request-transaction.ts`) it uses, and the schema engine's adapters
 * (`migration-adapters.ts`).
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config);
}
