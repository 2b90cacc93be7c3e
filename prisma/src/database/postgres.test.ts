import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenancy } from '../tenancy.js';
import { openPostgres, runtimeLoginUrl } from './postgres.js';
import type { Database } from './types.js';

describe('runtimeLoginUrl', () => {
  it("logs in as the slice's role with its password, on the same server and database", () => {
    expect(
      runtimeLoginUrl(
        'postgresql://admin:x@db.internal:5433/trellis?sslmode=require',
        'service-policy',
        'p@ss/w:rd',
      ),
    ).toBe(
      'postgresql://trellis_service_policy:p%40ss%2Fw%3Ard@db.internal:5433/trellis?sslmode=require',
    );
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('the PostgreSQL database', () => {
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  let db: Database;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(url!);
    u.pathname = `/${name}`;
    db = await openPostgres({ kind: 'postgres', url: u.toString() });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
  });

  it('runs the owner adapter as the connecting user, and reports it', async () => {
    const kinds: string[] = [];
    db.onStatement((slice, kind) => kinds.push(`${slice}:${kind}`));
    await db.exec('CREATE SCHEMA catalog; CREATE TABLE catalog.probe (v int)');
    const owner = await db.ownerAdapter('catalog').connect();
    const result = await owner.queryRaw({
      sql: 'SELECT current_user = session_user AS same, count(*)::int AS n FROM catalog.probe',
      args: [],
      argTypes: [],
    });
    expect(result.rows).toEqual([[true, 0]]);
    expect(kinds).toEqual(['catalog:query']);
  });

  it('sends BEGIN and the settings in one round trip, a hostile subject as a literal', async () => {
    await db.exec(`DO $$ BEGIN CREATE ROLE trellis_catalog; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      GRANT USAGE ON SCHEMA catalog TO trellis_catalog`);
    const kinds: string[] = [];
    db.onStatement((_slice, kind) => kinds.push(kind), ['query', 'control']);
    const runtime = await db.adapter('catalog').connect();
    const tenancy = { orgId: null, subject: "o'brien\\", admin: false, requestId: 'r-1' };
    const result = await withTenancy(tenancy, () =>
      runtime.queryRaw({
        sql: "SELECT current_user::text, current_setting('app.subject', true)",
        args: [],
        argTypes: [],
      }),
    );
    expect(result.rows).toEqual([['trellis_catalog', "o'brien\\"]]);
    // the settings ride with BEGIN: BEGIN, the statement, COMMIT
    expect(kinds).toEqual(['control', 'query', 'control']);
  });

  it("reports an idle connection's error (a killed backend) and carries on", async () => {
    const errors: Error[] = [];
    db.onConnectionError((error) => errors.push(error));
    const [{ pid }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [
      { pid: number },
    ];
    await admin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
