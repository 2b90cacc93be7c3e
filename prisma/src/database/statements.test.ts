import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import type { SliceName } from '../slices.js';
import { SETTINGS_SQL } from './settings.js';
import { statementCounter, statementKind } from './statements.js';
import type { StatementKind } from './types.js';

const q = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });
const EMPTY = { columnNames: [], columnTypes: [], rows: [] };

/** A driver that answers every statement with nothing; `phantom` as PGlite's (driver-sent COMMIT). */
function fakeFactory(phantom: boolean): SqlDriverAdapterFactory {
  const queryable = {
    provider: 'postgres' as const,
    adapterName: 'fake',
    queryRaw: async () => EMPTY,
    executeRaw: async () => 0,
  };
  const tx = (): Transaction => ({
    ...queryable,
    options: { usePhantomQuery: phantom },
    commit: async () => {},
    rollback: async () => {},
  });
  const adapter = {
    ...queryable,
    executeScript: async () => {},
    startTransaction: async () => tx(),
    dispose: async () => {},
  } as SqlDriverAdapter;
  return { provider: 'postgres', adapterName: 'fake', connect: async () => adapter };
}

async function counted(phantom: boolean, kinds?: readonly StatementKind[]) {
  const counter = statementCounter();
  const seen: [SliceName, StatementKind][] = [];
  counter.on((slice, kind) => seen.push([slice, kind]), kinds);
  const adapter = await counter.counted('pricing', fakeFactory(phantom)).connect();
  return { adapter, seen, kinds: () => seen.map(([, kind]) => kind) };
}

describe('statementKind', () => {
  it('calls transaction control and the tenancy settings control, the rest query', () => {
    for (const sql of [
      'BEGIN',
      '  commit',
      'ROLLBACK',
      'SAVEPOINT s1',
      'RELEASE SAVEPOINT s1',
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
      SETTINGS_SQL,
    ])
      expect(statementKind(sql), sql).toBe('control');
    for (const sql of [
      'SELECT 1',
      'INSERT INTO t VALUES (1)',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      'SET search_path TO x',
      "SELECT set_config('role', 'x', true)",
    ])
      expect(statementKind(sql), sql).toBe('query');
  });
});

describe('statement counting', () => {
  it("reports what the slice's code sends, by default only that, with the slice", async () => {
    const { adapter, seen } = await counted(false);
    await adapter.queryRaw(q('SELECT 1'));
    await adapter.executeRaw(q('UPDATE t SET v = 1'));
    await adapter.executeRaw(q('BEGIN'));
    expect(seen).toEqual([
      ['pricing', 'query'],
      ['pricing', 'query'],
    ]);
  });

  it('counts the BEGIN (and SET TRANSACTION) the driver sends itself', async () => {
    const { adapter, kinds } = await counted(false, ['query', 'control']);
    await adapter.startTransaction();
    expect(kinds()).toEqual(['control']);
    await adapter.startTransaction('SERIALIZABLE');
    expect(kinds()).toEqual(['control', 'control', 'control']);
  });

  it("counts a transaction's statements, and COMMIT where Prisma sends it as SQL", async () => {
    const { adapter, kinds } = await counted(false, ['query', 'control']);
    const tx = await adapter.startTransaction();
    await tx.queryRaw(q('SELECT 1'));
    await tx.executeRaw(q('COMMIT'));
    await tx.commit(); // bookkeeping only: the COMMIT above was the statement
    expect(kinds()).toEqual(['control', 'query', 'control']);
  });

  it('counts COMMIT and ROLLBACK where the driver sends them (PGlite)', async () => {
    const { adapter, kinds } = await counted(true, ['query', 'control']);
    const tx = await adapter.startTransaction();
    await tx.queryRaw(q('SELECT 1'));
    await tx.commit();
    const other = await adapter.startTransaction();
    await other.rollback();
    expect(kinds()).toEqual(['control', 'query', 'control', 'control', 'control']);
  });

  it('reports to every listener the kinds it asked for', async () => {
    const counter = statementCounter();
    const queries: StatementKind[] = [];
    const controls: StatementKind[] = [];
    counter.on((_slice, kind) => queries.push(kind));
    counter.on((_slice, kind) => controls.push(kind), ['control']);
    const adapter = await counter.counted('catalog', fakeFactory(true)).connect();
    await (await adapter.startTransaction()).queryRaw(q('SELECT 1'));
    expect(queries).toEqual(['query']);
    expect(controls).toEqual(['control']);
  });
});
