import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from './database/pglite.js';

const run = promisify(execFile);

/**
 * Backups of the two kinds of database (docs/ops/backup.md). The embedded one is PGlite's data
 * directory as a gzipped tarball (`dumpDataDir`), taken and restored with the server stopped:
 * PGlite is one process's database. PostgreSQL's is `pg_dump`'s custom format (every slice's
 * schema, its migration history, grants and row policies; roles are cluster-wide and made by
 * `pnpm db:roles`), restored with `pg_restore` into an empty database.
 */

/** Writes the PGlite data directory `dataDir` to `file` (gzipped tar). */
export async function backupPglite(dataDir: string, file: string): Promise<number> {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0)
    throw new Error(`no embedded database in ${dataDir}`);
  const db = new PGlite({ dataDir, extensions: PGLITE_EXTENSIONS });
  try {
    await db.waitReady;
    const dump = await db.dumpDataDir('gzip');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    mkdirSync(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    return bytes.length;
  } finally {
    await db.close();
  }
}

/**
 * Restores a `backupPglite` file into `dataDir`. An existing data directory is refused unless
 * `force`, and then kept beside it (`<dataDir>.before-restore-<time>`), never deleted.
 */
export async function restorePglite(
  file: string,
  dataDir: string,
  options: { force?: boolean } = {},
): Promise<{ keptAs?: string }> {
  let keptAs: string | undefined;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!options.force)
      throw new Error(
        `${dataDir} already holds a database: stop the server, then restore with --force (the current one is kept beside it)`,
      );
    keptAs = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, keptAs);
  }
  mkdirSync(dataDir, { recursive: true });
  const archive = new Blob([await readFile(file)]);
  const db = new PGlite({ dataDir, loadDataDir: archive, extensions: PGLITE_EXTENSIONS });
  try {
    await db.waitReady;
    // a restored directory must open and hold Trellis's migration history
    await db.query('SELECT count(*) FROM org_graph._prisma_migrations');
  } finally {
    await db.close();
  }
  return { keptAs };
}

/**
 * A connection string's password travels in PGPASSWORD, never on the command line (where
 * `ps` shows it to every user of the machine).
 */
function pgClientArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return {
    dbname: u.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** Whether `pg_dump` and `pg_restore` are on the PATH (their major version), or undefined. */
export async function pgDumpVersion(): Promise<string | undefined> {
  try {
    const [dump, restore] = await Promise.all([
      run('pg_dump', ['--version']),
      run('pg_restore', ['--version']),
    ]);
    return restore.stdout && /(\d+)\.\d+/.exec(dump.stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** `pg_dump` of the database at `url` into `file` (custom format, compressed). */
export async function backupPostgres(url: string, file: string): Promise<void> {
  const { dbname, env } = pgClientArgs(url);
  mkdirSync(dirname(file), { recursive: true });
  await run('pg_dump', ['--format=custom', '--file', file, '--dbname', dbname], { env });
}

/**
 * `pg_restore` of a `backupPostgres` file into the (empty) database at `url`, in one
 * transaction: it is all restored or nothing is. The roles must exist (`pnpm db:roles`).
 */
export async function restorePostgres(url: string, file: string): Promise<void> {
  const { dbname, env } = pgClientArgs(url);
  await run(
    'pg_restore',
    ['--exit-on-error', '--single-transaction', '--no-password', '--dbname', dbname, file],
    { env },
  );
}
