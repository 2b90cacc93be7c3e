import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATOR_ROLE } from '../roles.js';
import { createSchema } from './migration-adapters.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './types.js';

describe('createSchema', () => {
  it('gives the schema to the migrator when migrations run as it', () => {
    expect(createSchema('pricing', true)).toBe(
      `CREATE SCHEMA IF NOT EXISTS "pricing" AUTHORIZATION "${MIGRATOR_ROLE}"`,
    );
    expect(createSchema('pricing', false)).toBe('CREATE SCHEMA IF NOT EXISTS "pricing"');
  });
});

describe("PGlite's migration adapter", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
  }, 60_000);
  afterAll(() => db?.close());
  const searchPath = async () =>
    (await db.query<{ search_path: string }>('SHOW search_path'))[0]!.search_path;

  it("puts the slice's schema on the one connection's search_path until released", async () => {
    const { release } = await db.migrationAdapter('catalog');
    expect(await searchPath()).toBe('catalog');
    expect(await db.query("SELECT 1 FROM pg_namespace WHERE nspname = 'catalog'")).toHaveLength(1);
    await release();
    expect(await searchPath()).toBe('"$user", public');
  });

  it('lets one slice migrate at a time: the next waits for the release', async () => {
    const first = await db.migrationAdapter('pricing');
    let second: Awaited<ReturnType<Database['migrationAdapter']>> | undefined;
    const waiting = db.migrationAdapter('workforce').then((m) => {
      second = m;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second).toBeUndefined();
    expect(await searchPath()).toBe('pricing');
    await first.release();
    await waiting;
    expect(await searchPath()).toBe('workforce');
    await second!.release();
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("PostgreSQL's migration adapter", () => {
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  let db: Database;
  const admin = () => new pg.Client({ connectionString: url });
  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(url!);
    u.pathname = `/${name}`;
    db = await openPostgres({ kind: 'postgres', url: u.toString() });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.end();
  });

  it("runs a migration script whole (a function body's `;`), in the slice's schema", async () => {
    const { adapter, release } = await db.migrationAdapter('agreements');
    try {
      const engine = await adapter.connect();
      await engine.executeScript(`
        -- a comment; with a semicolon
        CREATE FUNCTION two() RETURNS int LANGUAGE plpgsql AS $$
        DECLARE x int;
        BEGIN x := 1; RETURN x + 1; END;
        $$;
        CREATE TABLE probe (v int);`);
      await engine.dispose();
    } finally {
      await release();
    }
    expect(await db.query('SELECT agreements.two() AS v')).toEqual([{ v: 2 }]);
    expect(
      await db.query(
        "SELECT 1 FROM pg_tables WHERE schemaname = 'agreements' AND tablename = 'probe'",
      ),
    ).toHaveLength(1);
  });
});
