import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subject, tenancy } from './database/testing.js';
import { type Database, openDatabase, type StatementKind } from './database.js';
import { migrateSlice } from './migrator.js';
import { withTenancy } from './tenancy.js';

let db: Database;
const sent: StatementKind[] = [];

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'org-graph'); // creates the runtime roles the adapter switches to
  db.onStatement((_slice, kind) => sent.push(kind), ['query', 'control']);
}, 60_000);
afterAll(() => db?.close());

describe('openDatabase', () => {
  it("opens the configured kind, whose runtime adapter runs as the slice's role and tenancy", async () => {
    expect(db.kind).toBe('pglite');
    const adapter = await db.adapter('org-graph').connect();
    expect(await withTenancy(tenancy('alice'), () => subject(adapter))).toBe(
      'alice/trellis_org_graph',
    );
    expect(sent).toEqual(['control', 'control', 'query', 'control']); // BEGIN, settings, query, COMMIT
  });
});
