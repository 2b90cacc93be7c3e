import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRoles } from '../roles.js';
import { withTenancy } from '../tenancy.js';
import { openPglite } from './pglite.js';
import { sqlReader } from './reader.js';
import { counting, request, subject } from './testing.js';
import type { Database, StatementKind } from './types.js';

let db: Database;
const sent: StatementKind[] = [];

beforeAll(async () => {
  db = await openPglite();
  await ensureRoles(db, {});
  db.onStatement((_slice, kind) => sent.push(kind), ['query', 'control']);
}, 60_000);
afterAll(() => db?.close());

describe('the PGlite database', () => {
  it("runs each slice's statements as the slice's runtime role", async () => {
    const pricing = await db.adapter('pricing').connect();
    expect(await request('alice', false, () => subject(pricing))).toBe('alice/trellis_pricing');
  });

  it('shares one transaction across slices in a request (one connection): the role switches', async () => {
    const orgGraph = await db.adapter('org-graph').connect();
    const catalog = await db.adapter('catalog').connect();
    const run = await counting(sent, () =>
      request('bob', true, async () => [await subject(orgGraph), await subject(catalog)]),
    );
    expect(run.result).toEqual(['bob/trellis_org_graph', 'bob/trellis_catalog']);
    // BEGIN, settings, the catalog's settings, COMMIT
    expect(run).toMatchObject({ query: 2, control: 4 });
  });

  it('runs the owner adapter as the connecting user, without settings, and reports it', async () => {
    const owner = await db.ownerAdapter('catalog').connect();
    const run = await counting(sent, () => withTenancy(undefined, () => subject(owner)));
    expect(run).toMatchObject({ result: '/postgres', query: 1, control: 0 });
  });

  it('runs scripts and plain queries as the connecting user', async () => {
    await db.exec('CREATE TABLE public.probe (v int); INSERT INTO public.probe VALUES (1), (2)');
    expect(await db.query('SELECT sum(v)::int AS total FROM public.probe')).toEqual([{ total: 3 }]);
  });

  it('reads rows as objects through the runtime adapter: decoded as Prisma decodes raw rows', async () => {
    const read = sqlReader(db.adapter('catalog'));
    const run = await counting(sent, () =>
      request('carol', false, () =>
        read<Record<string, unknown>>(
          `SELECT $1::int AS n, current_user::text AS "role", current_setting('app.subject') AS subject,
                  $2::text[] AS tags, '{"a": [1]}'::jsonb AS doc, NULL::jsonb AS nothing,
                  '2026-11-28 10:00:00.123+01'::timestamptz AS at, NULL::timestamptz AS never,
                  true AS yes`,
          7,
          ['x', 'y'],
        ),
      ),
    );
    expect(run.result).toEqual([
      {
        n: 7,
        role: 'trellis_catalog',
        subject: 'carol',
        tags: ['x', 'y'],
        doc: { a: [1] },
        nothing: null,
        at: new Date('2026-11-28T09:00:00.123Z'),
        never: null,
        yes: true,
      },
    ]);
    // counted as the slice's query, inside the tenancy envelope
    expect(run).toMatchObject({ query: 1 });
  });

  it('refuses a column it would decode differently from Prisma, naming it', async () => {
    const read = sqlReader(db.adapter('catalog'));
    await expect(
      request('carol', false, () => read('SELECT 1.5::numeric AS amount')),
    ).rejects.toThrow('column "amount"');
  });
});
