import { createRequire } from 'node:module';
import { withTenancy } from '@trellis/prisma';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { RequestContext } from './context.js';
import { type RawTx, tenancyOf } from './tenant.js';

// the CommonJS build of graphql, the one @apollo/subgraph builds schemas with: under vitest an
// import would load the ES module build, a second `graphql` that refuses those schemas
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * Executes an operation against a subgraph's schema the way its HTTP service does for a
 * verified caller: inside the caller's tenancy, so row-level security applies below the
 * resolvers. For the subgraphs' own tests (`@trellis/kit/testing`).
 */
export function executeAsCaller(
  schema: GraphQLSchema,
  contextValue: RequestContext,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<ExecutionResult> {
  return withTenancy(tenancyOf(contextValue.caller, contextValue.requestId), () =>
    graphql({ schema, source, variableValues, contextValue }),
  );
}

/** A statement's table, as the kit's writers name it: `"schema"."table"` → `table`. */
const tableOf = (sql: string) => /(?:INTO|UPDATE|FROM)\s+"[^"]+"\."([^"]+)"/.exec(sql)?.[1];

interface IdempotencyRow {
  request_hash: string;
  response: unknown;
}

interface Tables {
  /** idempotency records by `org/key` */
  idempotency: Map<string, IdempotencyRow>;
  /** every other row inserted: its table and the statement's values */
  rows: { table: string; values: unknown[] }[];
}

/**
 * An in-memory stand-in for a slice's client, enough for the kit's raw writers: idempotency
 * records (the claim, its answer, the replay), and every other INSERT kept as its table and
 * values (audit rows, outbox events, a test's own rows). A transaction works on a copy that
 * replaces the committed tables only when it ends without an error, so what a failed write
 * leaves behind is nothing. `failOn` makes inserts into one table fail.
 */
export function fakeDatabase(options: { failOn?: string } = {}) {
  let committed: Tables = { idempotency: new Map(), rows: [] };
  let transactions = 0;
  const handle = (tables: () => Tables): RawTx => ({
    async $executeRawUnsafe(sql: string, ...values: unknown[]) {
      const table = tableOf(sql) ?? '?';
      const t = tables();
      if (table === options.failOn) throw new Error(`${table}: refused by the test`);
      if (table !== 'idempotency_record') {
        t.rows.push({ table, values });
        return 1;
      }
      const key = `${values[0]}/${values[1]}`;
      if (sql.startsWith('INSERT')) {
        if (t.idempotency.has(key)) return 0;
        t.idempotency.set(key, { request_hash: values[3] as string, response: null });
        return 1;
      }
      t.idempotency.get(key)!.response = JSON.parse(values[2] as string);
      return 1;
    },
    async $queryRawUnsafe<T>(_sql: string, ...values: unknown[]) {
      return [tables().idempotency.get(`${values[0]}/${values[1]}`)] as T;
    },
  });
  return {
    /** a handle whose every statement is committed at once */
    raw: handle(() => committed),
    async $transaction<R>(fn: (tx: RawTx) => Promise<R>): Promise<R> {
      transactions++;
      const draft: Tables = {
        idempotency: new Map([...committed.idempotency].map(([k, v]) => [k, { ...v }])),
        rows: [...committed.rows],
      };
      const result = await fn(handle(() => draft));
      committed = draft;
      return result;
    },
    /** the committed rows of a table */
    rows: (table: string) => committed.rows.filter((r) => r.table === table).map((r) => r.values),
    /** how many transactions were begun */
    transactions: () => transactions,
  };
}
