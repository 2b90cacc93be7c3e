import { join } from 'node:path';
import { type Database, openDatabase } from './database.js';
import { PRISMA_ROOT } from './slices.js';

export const DEFAULT_DATA_DIR = join(PRISMA_ROOT, '..', '.data');

/** The database the environment names: DATABASE_URL, else PGlite under DATA_DIR. */
export function databaseFromEnv(env = process.env): Promise<Database> {
  return env.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: env.DATABASE_URL })
    : openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR ?? DEFAULT_DATA_DIR });
}
