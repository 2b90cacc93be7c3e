import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '@trellis/prisma';
import pg from 'pg';

/** `pglite` by default; `postgres` when TEST_BACKEND=postgres (needs TEST_DATABASE_URL). */
export const BACKEND = process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

/** A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database. */
export async function freshDatabase(options: { poolSize?: number } = {}): Promise<{
  db: Database;
  drop(): Promise<void>;
  /** the connection string (PostgreSQL) */
  url?: string;
}> {
  if (BACKEND === 'pglite') {
    const db = await openDatabase({ kind: 'pglite' });
    return { db, drop: async () => {} };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_BACKEND=postgres needs TEST_DATABASE_URL');
  const scratch = await scratchDatabase(base, 'trellis_test');
  const db = await openDatabase({
    kind: 'postgres',
    url: scratch.url,
    poolSize: options.poolSize ?? 4,
  });
  return { db, url: scratch.url, drop: scratch.drop };
}

/**
 * A new PostgreSQL database on the server of `base` (a test file's, a benchmark's), and how to
 * drop it after.
 */
export async function scratchDatabase(
  base: string,
  prefix = 'trellis_bench',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        // closed pools may still be saying goodbye: wait for them rather than kill them
        // (a killed connection surfaces as an error in a client that is already ending)
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name}`);
            break;
          } catch (error) {
            if (attempt === 50) throw error;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
