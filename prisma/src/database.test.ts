import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, type StatementKind } from './database.js';
import { migrateSlice } from './migrator.js';
import {
  endSharedTransactions,
  enterTenancy,
  shareTransactions,
  type Tenancy,
  withTenancy,
  withTenancyScope,
} from './tenancy.js';

let db: Database;
let adapter: SqlDriverAdapter;
const sent: StatementKind[] = [];

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'org-graph'); // creates the runtime roles the adapter switches to
  db.onStatement((_slice, kind) => sent.push(kind), ['query', 'control']);
  adapter = await db.adapter('org-graph').connect();
}, 60_000);
afterAll(() => db?.close());

const tenancy = (subject: string): Tenancy => ({
  orgId: null,
  subject,
  admin: false,
  requestId: `request-of-${subject}`,
});

const TEXT = { scalarType: 'string', arity: 'scalar' } as const;
/** what the database believes the statement runs for */
async function subject(): Promise<string> {
  const result = await adapter.queryRaw({
    sql: "SELECT current_setting('app.subject', true) || '/' || current_user AS who",
    args: [],
    argTypes: [],
  });
  return String(result.rows[0]![0]);
}
const fail = () => adapter.queryRaw({ sql: 'SELECT 1 / $1::int', args: ['0'], argTypes: [TEXT] });

/** Runs `fn` as a request of `who` would: a scope, its tenancy, then the request's end. */
function request<T>(who: string, share: boolean, fn: () => Promise<T>): Promise<T> {
  return withTenancyScope(async () => {
    enterTenancy(tenancy(who));
    if (share) shareTransactions();
    try {
      return await fn();
    } finally {
      await endSharedTransactions();
    }
  });
}

function counting<T>(fn: () => Promise<T>): Promise<{ result: T; query: number; control: number }> {
  const from = sent.length;
  return fn().then((result) => {
    const kinds = sent.slice(from);
    return {
      result,
      query: kinds.filter((k) => k === 'query').length,
      control: kinds.filter((k) => k === 'control').length,
    };
  });
}

describe('the runtime adapter', () => {
  it('wraps every statement in its own transaction with the tenancy settings', async () => {
    const run = await counting(() =>
      request('alice', false, async () => [await subject(), await subject()]),
    );
    expect(run.result).toEqual(['alice/trellis_org_graph', 'alice/trellis_org_graph']);
    expect(run).toMatchObject({ query: 2, control: 6 }); // BEGIN, settings, COMMIT each
  });

  it('lets a request share one transaction: BEGIN, settings and COMMIT once', async () => {
    const run = await counting(() =>
      request('bob', true, () => Promise.all([subject(), subject(), subject()])),
    );
    expect(run.result).toEqual(Array(3).fill('bob/trellis_org_graph'));
    expect(run).toMatchObject({ query: 3, control: 3 });
  });

  it('applies a nested tenancy inside the shared transaction, and the outer one after it', async () => {
    const seen = await request('carol', true, async () => [
      await subject(),
      await withTenancy(tenancy('dave'), subject),
      await subject(),
    ]);
    expect(seen).toEqual([
      'carol/trellis_org_graph',
      'dave/trellis_org_graph',
      'carol/trellis_org_graph',
    ]);
  });

  it('keeps a failed statement from failing the statements after it', async () => {
    const seen = await request('erin', true, async () => {
      const first = await subject();
      await expect(fail()).rejects.toThrow();
      return [first, await subject()];
    });
    expect(seen).toEqual(['erin/trellis_org_graph', 'erin/trellis_org_graph']);
  });

  it('ends the sharing before a transaction of its own (PGlite has one connection)', async () => {
    const seen = await request('frank', true, async () => {
      await subject(); // the shared transaction is open
      const tx = await adapter.startTransaction();
      const inside = await tx.queryRaw({
        sql: "SELECT current_setting('app.subject', true)",
        args: [],
        argTypes: [],
      });
      await tx.commit();
      return [inside.rows[0]![0], await subject()];
    });
    expect(seen).toEqual(['frank', 'frank/trellis_org_graph']);
  });

  it('carries nothing over to the next request on the same connection', async () => {
    await request('grace', true, subject);
    const after = await withTenancy(undefined, subject);
    expect(after).toBe('/trellis_org_graph');
  });
});
