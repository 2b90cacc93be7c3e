import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenancy } from '../tenancy.js';
import { openPostgres, runtimeLoginUrl } from './postgres.js';
import { sqlReader } from './reader.js';
import { runtimePool } from './tenancy-query.js';
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

  const subjectAndRole = {
    sql: "SELECT current_user::text, current_setting('app.subject', true)",
    args: [],
    argTypes: [],
  };
  const tenancyOf = (subject: string) => ({ orgId: null, subject, admin: false, requestId: 'r-1' });

  it('sends a statement with its settings in one round trip, a hostile subject as a value', async () => {
    await db.exec(`DO $$ BEGIN CREATE ROLE trellis_catalog; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      GRANT USAGE ON SCHEMA catalog TO trellis_catalog`);
    const kinds: string[] = [];
    db.onStatement((_slice, kind) => kinds.push(kind), ['query', 'control']);
    const runtime = await db.adapter('catalog').connect();
    const result = await withTenancy(tenancyOf("o'brien\\"), () =>
      runtime.queryRaw(subjectAndRole),
    );
    expect(result.rows).toEqual([['trellis_catalog', "o'brien\\"]]);
    // no BEGIN, no COMMIT: the settings and the statement are one implicit transaction
    expect(kinds).toEqual(['query']);
    // which ends with it: the next statement on the connection has its own settings
    expect((await runtime.queryRaw(subjectAndRole)).rows).toEqual([['trellis_catalog', '']]);
  });

  it("starts a transaction's BEGIN with the settings, a hostile subject as a literal", async () => {
    const runtime = await db.adapter('catalog').connect();
    const inside = await withTenancy(tenancyOf("x'; RESET ROLE; --"), async () => {
      const tx = await runtime.startTransaction();
      const rows = (await tx.queryRaw(subjectAndRole)).rows;
      await tx.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] });
      await tx.commit();
      return rows;
    });
    expect(inside).toEqual([['trellis_catalog', "x'; RESET ROLE; --"]]);
  });

  it("keeps each statement's tenancy when the pool hands one connection from request to request", async () => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    const single = await openPostgres({ kind: 'postgres', url: u.toString(), poolSize: 1 });
    try {
      const runtime = await single.adapter('catalog').connect();
      const subjects = Array.from({ length: 20 }, (_, i) => `subject-${i}`);
      const seen = await Promise.all(
        subjects.map((s) => withTenancy(tenancyOf(s), () => runtime.queryRaw(subjectAndRole))),
      );
      expect(seen.map((r) => r.rows[0]![1])).toEqual(subjects);
      // a failed statement takes its settings with it
      await expect(
        withTenancy(tenancyOf('failing'), () =>
          runtime.queryRaw({ sql: 'SELECT 1/0', args: [], argTypes: [] }),
        ),
      ).rejects.toThrow();
      expect((await runtime.queryRaw(subjectAndRole)).rows).toEqual([['trellis_catalog', '']]);
    } finally {
      await single.close();
    }
  });

  it('runs the hot reads (`sqlReader`) on generic plans, and other statements as PostgreSQL chooses', async () => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    const single = await openPostgres({ kind: 'postgres', url: u.toString(), poolSize: 1 });
    try {
      await single.exec(`CREATE TABLE IF NOT EXISTS catalog.keyed (id int PRIMARY KEY, v text);
        INSERT INTO catalog.keyed SELECT g, 'v' || g FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING;
        GRANT SELECT ON catalog.keyed TO trellis_catalog`);
      const read = sqlReader(single.adapter('catalog'));
      const runtime = await single.adapter('catalog').connect();
      const BY_KEYS = 'SELECT id, v FROM catalog.keyed WHERE id = ANY($1::int[]) ORDER BY id';
      for (let i = 1; i <= 8; i++) {
        expect(await read(BY_KEYS, [i, i + 1])).toEqual([
          { id: i, v: `v${i}` },
          { id: i + 1, v: `v${i + 1}` },
        ]);
        await runtime.queryRaw({
          sql: `${BY_KEYS} -- other`,
          args: [[i]],
          argTypes: [{ scalarType: 'unknown', arity: 'list' }],
        });
      }
      // both are prepared on the pool's one connection; what planned them is counted there
      const plans = await read<{ statement: string; generic: number; custom: number }>(
        `SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom
           FROM pg_prepared_statements
          WHERE statement LIKE '%catalog.keyed%' AND statement NOT LIKE '%pg_prepared%'
          ORDER BY statement`,
      );
      expect(plans.map((p) => [p.statement.endsWith('-- other'), p.generic, p.custom])).toEqual([
        [false, 8, 0],
        [true, expect.any(Number), expect.any(Number)],
      ]);
      // PostgreSQL's own choice (`auto`) plans this one per execution: custom plans
      expect(plans[1]!.custom).toBeGreaterThan(0);
    } finally {
      await single.close();
    }
  });

  it('never hands out a connection that could not prepare its settings', async () => {
    const pool = runtimePool({ connectionString: url, max: 1 }, 'trellis_no_such_role');
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/trellis_no_such_role/);
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
    }
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
