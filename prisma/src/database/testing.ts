import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlQueryable } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll } from 'vitest';
import {
  endSharedTransactions,
  enterTenancy,
  shareTransactions,
  type Tenancy,
  withTenancyScope,
} from '../tenancy.js';
import { statementCounter } from './statements.js';
import { tenantAdapterFactory } from './tenant-adapter.js';
import type { StatementKind } from './types.js';

/** For the tests of the runtime pieces: the role the fixture's adapter switches to. */
export const FIXTURE_ROLE = 'trellis_fixture';

/**
 * An in-memory PGlite with a runtime adapter as `openDatabase` builds it (tenancy over
 * counting), and every statement kind it sent, in order.
 */
async function runtimeFixture(): Promise<{
  adapter: SqlDriverAdapter;
  sent: StatementKind[];
  close(): Promise<void>;
}> {
  const pg = new PGlite();
  await pg.exec(`CREATE ROLE ${FIXTURE_ROLE}`);
  const counter = statementCounter();
  const sent: StatementKind[] = [];
  counter.on((_slice, kind) => sent.push(kind), ['query', 'control']);
  const factory = counter.counted('org-graph', new PrismaPGlite(pg));
  const adapter = await tenantAdapterFactory(factory, FIXTURE_ROLE, 'pglite').connect();
  return { adapter, sent, close: () => pg.close() };
}

/**
 * The runtime fixture of a test file: opened before its tests, closed after them. Its
 * adapter and statements are read once the tests run; `who()` asks the database whom a
 * statement runs for (`subject`).
 */
export function useRuntimeFixture() {
  let fixture: Awaited<ReturnType<typeof runtimeFixture>> | undefined;
  beforeAll(async () => {
    fixture = await runtimeFixture();
  }, 60_000);
  afterAll(() => fixture?.close());
  const opened = () => {
    if (!fixture) throw new Error('the runtime fixture is opened before the tests run');
    return fixture;
  };
  return {
    get adapter() {
      return opened().adapter;
    },
    get sent() {
      return opened().sent;
    },
    who: () => subject(opened().adapter),
  };
}

export const tenancy = (subject: string): Tenancy => ({
  orgId: null,
  subject,
  admin: false,
  requestId: `request-of-${subject}`,
});

/** What the database believes the statement runs for: `<app.subject>/<current_user>`. */
export async function subject(adapter: SqlQueryable): Promise<string> {
  const result = await adapter.queryRaw({
    sql: "SELECT current_setting('app.subject', true) || '/' || current_user AS who",
    args: [],
    argTypes: [],
  });
  return String(result.rows[0]![0]);
}

/** A statement that fails in the database (division by zero). */
export const failing = (adapter: SqlQueryable) =>
  adapter.queryRaw({
    sql: 'SELECT 1 / $1::int',
    args: ['0'],
    argTypes: [{ scalarType: 'string', arity: 'scalar' }],
  });

/** Runs `fn` as a request of `who` would: a scope, its tenancy, then the request's end. */
export function request<T>(who: string, share: boolean, fn: () => Promise<T>): Promise<T> {
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

/** `fn`'s result and how many statements of each kind it sent. */
export async function counting<T>(
  sent: readonly StatementKind[],
  fn: () => Promise<T>,
): Promise<{ result: T; query: number; control: number }> {
  const from = sent.length;
  const result = await fn();
  const kinds = sent.slice(from);
  return {
    result,
    query: kinds.filter((k) => k === 'query').length,
    control: kinds.filter((k) => k === 'control').length,
  };
}
