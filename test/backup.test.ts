// Backups round trip: what is restored is what was backed up — every slice's tables and rows,
// its migration history, grants, row-level security and policies (docs/ops/backup.md).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backupPglite,
  backupPostgres,
  type Database,
  ensureRoles,
  openDatabase,
  pgDumpVersion,
  restorePglite,
  restorePostgres,
  SLICES,
} from '@trellis/prisma';
import { seedDemo } from '@trellis/prisma/seed';
import { migrateAll } from '@trellis/runner';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND, freshDatabase } from './support/database.js';

const SCHEMAS = Object.values(SLICES);

/** What a backup must keep, read from the catalogs (ordered, so two reads compare equal). */
async function snapshot(db: Database) {
  const q = <T>(sql: string) => db.query<T>(sql, [SCHEMAS]);
  const tables = await q<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
     WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
  );
  const rows: Record<string, number> = {};
  for (const { s, t } of tables)
    rows[`${s}.${t}`] = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s}"."${t}"`)
    )[0]!.n;
  const migrations: Record<string, string[]> = {};
  for (const schema of SCHEMAS)
    migrations[schema] = (
      await db.query<{ name: string }>(
        `SELECT migration_name || ':' || checksum AS name FROM "${schema}"."_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`,
      )
    ).map((r) => r.name);
  return {
    rows,
    migrations,
    security: await q(
      `SELECT n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity,
              pg_get_userbyid(c.relowner) AS owner, c.relacl::text AS acl
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'S') ORDER BY 1, 2`,
    ),
    policies: await q(
      `SELECT schemaname, tablename, policyname, permissive, roles::text, cmd, qual, with_check
       FROM pg_policies WHERE schemaname = ANY($1) ORDER BY 1, 2, 3`,
    ),
    schemas: await q(
      `SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text AS acl
       FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`,
    ),
    functions: await q(
      `SELECT n.nspname, p.proname, p.prosecdef, p.proacl::text AS acl
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = ANY($1) ORDER BY 1, 2`,
    ),
  };
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-backup-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded database (PGlite data directory)', () => {
  it(
    'restores a backup into another data directory: every slice, its history, grants and policies',
    { timeout: 300_000 },
    async () => {
      const work = tempDir();
      const dataDir = join(work, 'data');
      const db = await openDatabase({ kind: 'pglite', dataDir });
      await migrateAll(db);
      await seedDemo(db);
      const before = await snapshot(db);
      await db.close();
      expect(Object.values(before.rows).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      expect(before.policies.length).toBeGreaterThan(10);

      const file = join(work, 'trellis.tar.gz');
      expect(await backupPglite(dataDir, file)).toBeGreaterThan(0);

      const restoredDir = join(work, 'restored');
      await restorePglite(file, restoredDir);
      const restored = await openDatabase({ kind: 'pglite', dataDir: restoredDir });
      try {
        expect(await snapshot(restored)).toEqual(before);
      } finally {
        await restored.close();
      }

      // a data directory in use is never overwritten by accident; with --force it is kept aside
      await expect(restorePglite(file, restoredDir)).rejects.toThrow(/already holds a database/);
      const { keptAs } = await restorePglite(file, restoredDir, { force: true });
      expect(keptAs && existsSync(keptAs) && readdirSync(keptAs).length).toBeGreaterThan(0);
    },
  );

  it('refuses to back up a data directory that holds no database', async () => {
    await expect(
      backupPglite(join(tempDir(), 'none'), join(tempDir(), 'x.tar.gz')),
    ).rejects.toThrow(/no embedded database/);
  });
});

const pgTools = BACKEND === 'postgres' ? await pgDumpVersion() : undefined;
if (BACKEND === 'postgres' && !pgTools)
  console.warn(
    'backup.test: pg_dump/pg_restore not found on PATH — the PostgreSQL round trip is skipped',
  );

describe.skipIf(!pgTools)('PostgreSQL (pg_dump / pg_restore)', () => {
  it(
    'restores a dump into a scratch database: every slice, its history, grants and policies',
    { timeout: 300_000 },
    async () => {
      const source = await freshDatabase();
      const target = await freshDatabase();
      try {
        await migrateAll(source.db);
        await seedDemo(source.db);
        const before = await snapshot(source.db);
        const file = join(tempDir(), 'trellis.dump');
        await backupPostgres(source.url!, file);
        await restorePostgres(target.url!, file);
        // extension objects belong to whoever restores them: `pnpm db:restore` gives them back
        await ensureRoles(target.db);
        expect(await snapshot(target.db)).toEqual(before);
      } finally {
        await source.db.close();
        await target.db.close();
        await source.drop();
        await target.drop();
      }
    },
  );
});
