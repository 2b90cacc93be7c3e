import type { Database } from '@trellis/prisma';
import {
  appliedMigrations,
  migrateSlice,
  migrationNames,
  rollbackSlice,
  SLICE_NAMES,
  SLICES,
  sliceStatus,
} from '@trellis/prisma';
import { describe, expect, it } from 'vitest';
import { BACKEND, freshDatabase } from './support/database.js';

async function tables(db: Database, schema: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

describe(`migrations (${BACKEND})`, () => {
  it.each(
    SLICE_NAMES,
  )('%s: applies, rolls every migration back, and applies again', async (slice) => {
    const { db, drop } = await freshDatabase();
    try {
      const names = migrationNames(slice);
      expect(await migrateSlice(db, slice)).toEqual(names);
      expect(await migrateSlice(db, slice)).toEqual([]);
      const created = await tables(db, SLICES[slice]);
      expect(created.length).toBeGreaterThan(0);
      for (const name of [...names].reverse()) expect(await rollbackSlice(db, slice)).toBe(name);
      expect(await appliedMigrations(db, slice)).toEqual([]);
      expect(await tables(db, SLICES[slice])).toEqual([]);
      expect(await migrateSlice(db, slice)).toEqual(names);
      expect(await tables(db, SLICES[slice])).toEqual(created);
      expect((await sliceStatus(db, slice)).pending).toEqual([]);
    } finally {
      await db.close();
      await drop();
    }
  });

  it('keeps one migration history per slice, in its own schema', async () => {
    const { db, drop } = await freshDatabase();
    try {
      for (const slice of SLICE_NAMES) await migrateSlice(db, slice);
      const rows = await db.query<{ schema: string }>(
        "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = '_prisma_migrations' ORDER BY 1",
      );
      expect(rows.map((r) => r.schema)).toEqual(Object.values(SLICES).sort());
    } finally {
      await db.close();
      await drop();
    }
  });
});
