import { isAbsolute, join } from 'node:path';
import { type Database, openDatabase } from './database.js';
import { passwordVariable, runtimeRole } from './roles.js';
import { PRISMA_ROOT, SLICE_NAMES, type SliceName } from './slices.js';

const REPO_ROOT = join(PRISMA_ROOT, '..');
const DEFAULT_DATA_DIR = join(REPO_ROOT, '.data');

/** DATA_DIR, a relative one read from the repository root: one directory for every command. */
export const dataDirOf = (dataDir: string | undefined) =>
  !dataDir ? DEFAULT_DATA_DIR : isAbsolute(dataDir) ? dataDir : join(REPO_ROOT, dataDir);

/**
 * The slices whose runtime role has a password in the environment (TRELLIS_<SCHEMA>_PASSWORD):
 * their pools log in as that role instead of the DATABASE_URL user.
 */
export function runtimePasswordsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Partial<Record<SliceName, string>> {
  const passwords: Partial<Record<SliceName, string>> = {};
  for (const slice of SLICE_NAMES) {
    const password = env[passwordVariable(runtimeRole(slice))];
    if (password) passwords[slice] = password;
  }
  return passwords;
}

/** The database the environment names: DATABASE_URL, else PGlite under DATA_DIR. */
export function databaseFromEnv(env = process.env): Promise<Database> {
  return env.DATABASE_URL
    ? openDatabase({
        kind: 'postgres',
        url: env.DATABASE_URL,
        runtimePasswords: runtimePasswordsFromEnv(env),
      })
    : openDatabase({ kind: 'pglite', dataDir: dataDirOf(env.DATA_DIR) });
}
