import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.js';
import { openDatabase } from './database.js';
import { type MigrationList, NO_FILTERS, openSchemaEngine } from './engine.js';
import { ensureRoles, MIGRATOR_ROLE, MIGRATOR_USABLE } from './roles.js';
import { migrationsDir, SLICE_NAMES, SLICES, type SliceName, schemaPath } from './slices.js';

const EMPTY_MIGRATION = '-- This is an empty migration.';
export const ROLLBACK_FILE = 'down.sql';

function readSchema(slice: SliceName) {
  return { path: schemaPath(slice), content: readFileSync(schemaPath(slice), 'utf8') };
}

export function migrationNames(slice: SliceName): string[] {
  const dir = migrationsDir(slice);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function readMigrations(slice: SliceName): MigrationList {
  const baseDir = migrationsDir(slice);
  const lockPath = join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: {
      path: lockPath,
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: migrationNames(slice).map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

async function withEngine<T>(
  db: Database,
  slice: SliceName,
  fn: (engine: Awaited<ReturnType<typeof openSchemaEngine>>) => Promise<T>,
): Promise<T> {
  const { adapter, release } = await db.migrationAdapter(slice);
  try {
    const engine = await openSchemaEngine(readSchema(slice), adapter);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await release();
  }
}

/**
 * Applies a slice's pending migrations with Prisma's engine, as the migrator role when it
 * exists; answers the names applied (none when up to date). Leaves roles and grants alone.
 */
export async function applyMigrations(db: Database, slice: SliceName): Promise<string[]> {
  return withEngine(db, slice, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList: readMigrations(slice),
      filters: NO_FILTERS,
    });
    return out.appliedMigrationNames;
  });
}

/**
 * Applies a slice's pending migrations as the migrator: `ensureRoles` (idempotent) first, so
 * the migrator exists, owns the schema and may create in the database; then again, so the
 * roles, ownership and grants match the tables that now exist. A migrated slice is always
 * usable by its runtime role and by nothing more. Answers the names applied.
 */
export async function migrateSlice(db: Database, slice: SliceName): Promise<string[]> {
  await ensureRoles(db);
  const applied = await applyMigrations(db, slice);
  await ensureRoles(db);
  return applied;
}

/** Applies every slice's pending migrations as the migrator, between two `ensureRoles`. */
export async function migrateAllSlices(db: Database): Promise<Record<SliceName, string[]>> {
  await ensureRoles(db);
  const applied = {} as Record<SliceName, string[]>;
  for (const slice of SLICE_NAMES) applied[slice] = await applyMigrations(db, slice);
  await ensureRoles(db);
  return applied;
}

export async function appliedMigrations(db: Database, slice: SliceName): Promise<string[]> {
  const table = `"${SLICES[slice]}"."_prisma_migrations"`;
  const [exists] = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${SLICES[slice]}._prisma_migrations`,
  ]);
  if (!exists?.t) return [];
  const rows = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

export interface SliceStatus {
  slice: SliceName;
  applied: string[];
  pending: string[];
}

export async function sliceStatus(db: Database, slice: SliceName): Promise<SliceStatus> {
  const applied = await appliedMigrations(db, slice);
  const pending = migrationNames(slice).filter((n) => !applied.includes(n));
  return { slice, applied, pending };
}

/** Runs the rollback script of the slice's latest applied migration and forgets it. */
export async function rollbackSlice(db: Database, slice: SliceName): Promise<string | null> {
  const applied = await appliedMigrations(db, slice);
  const last = applied.at(-1);
  if (!last) return null;
  const script = readFileSync(join(migrationsDir(slice), last, ROLLBACK_FILE), 'utf8');
  const [{ usable } = { usable: false }] = await db.query<{ usable: boolean }>(MIGRATOR_USABLE);
  // one script, one transaction (as the migrator, which owns what it drops): the rollback and
  // its bookkeeping land together or not at all
  await db.exec(
    `BEGIN;${usable ? ` SET LOCAL ROLE "${MIGRATOR_ROLE}";` : ''}\n${script}\n;DELETE FROM "${SLICES[slice]}"."_prisma_migrations" WHERE migration_name = '${last.replace(/'/g, "''")}';\nCOMMIT;`,
  );
  return last;
}

/**
 * SQL that takes the slice from its migrations to its Prisma schema ('' when in sync) and,
 * when asked, the SQL back (the rollback script).
 */
async function diffScripts(
  slice: SliceName,
  withDown: boolean,
): Promise<{ up: string; down: string }> {
  const scratch = await openDatabase({ kind: 'pglite' });
  try {
    return await withEngine(scratch, slice, async (engine) => {
      const migrations = { tag: 'migrations' as const, ...readMigrations(slice) };
      const datamodel = { tag: 'schemaDatamodel' as const, files: [readSchema(slice)] };
      const run = async (from: typeof migrations | typeof datamodel, to: typeof from) => {
        const out = await engine.diff({
          from,
          to,
          script: true,
          exitCode: null,
          filters: NO_FILTERS,
        });
        const sql = (out.stdout ?? '').trim();
        return sql === EMPTY_MIGRATION ? '' : sql;
      };
      const up = await run(migrations, datamodel);
      return { up, down: withDown && up ? await run(datamodel, migrations) : '' };
    });
  } finally {
    await scratch.close();
  }
}

/** Drift check: answers the SQL the migrations lack, or '' when schema and history agree. */
export async function driftOf(slice: SliceName): Promise<string> {
  return (await diffScripts(slice, false)).up;
}

/** Writes the slice's next migration folder (migration.sql + down.sql) from its Prisma schema. */
export async function createMigration(slice: SliceName, name: string): Promise<string | null> {
  ensureLockfile(slice);
  const { up, down } = await diffScripts(slice, true);
  if (!up) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`;
  const dir = join(migrationsDir(slice), folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), `${up}\n`);
  writeFileSync(
    join(dir, ROLLBACK_FILE),
    `-- Rollback of ${folder}: restores the schema of the previous migration.\n${down || '-- nothing to undo'}\n`,
  );
  return folder;
}

function ensureLockfile(slice: SliceName) {
  const lock = join(migrationsDir(slice), 'migration_lock.toml');
  if (existsSync(lock)) return;
  mkdirSync(migrationsDir(slice), { recursive: true });
  writeFileSync(
    lock,
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
  );
}
