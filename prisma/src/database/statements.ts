import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { SliceName } from '../slices.js';
import { sqlSpan } from '../tracing.js';
import { SETTINGS_SQL } from './settings.js';
import type { StatementKind, StatementListener } from './types.js';

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION)\b/i;

/** `control` for transaction control and the tenancy settings, `query` for everything else. */
export const statementKind = (sql: string): StatementKind =>
  CONTROL.test(sql) || sql.startsWith(SETTINGS_SQL) ? 'control' : 'query';

/**
 * Statement counting for one database: `counted` wraps a slice's adapter factory so that every
 * statement its connections send is reported to the listeners registered with `on` (and is a
 * span when tracing is on).
 */
export function statementCounter() {
  const listeners: { listener: StatementListener; kinds: readonly StatementKind[] }[] = [];
  const counter = (slice: SliceName) => (kind: StatementKind) => {
    for (const l of listeners) if (l.kinds.includes(kind)) l.listener(slice, kind);
  };
  return {
    on(listener: StatementListener, kinds: readonly StatementKind[] = ['query']) {
      listeners.push({ listener, kinds });
    },
    counted: (slice: SliceName, factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory => ({
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => countingAdapter(await factory.connect(), slice, counter(slice)),
    }),
  };
}

function countQueries<T extends SqlQueryable>(
  target: T,
  slice: SliceName,
  count: (kind: StatementKind) => void,
): T {
  const queryRaw = target.queryRaw.bind(target);
  const executeRaw = target.executeRaw.bind(target);
  target.queryRaw = (q) => {
    count(statementKind(q.sql));
    return sqlSpan(slice, q.sql, () => queryRaw(q));
  };
  target.executeRaw = (q) => {
    count(statementKind(q.sql));
    return sqlSpan(slice, q.sql, () => executeRaw(q));
  };
  return target;
}

function countingAdapter(
  adapter: SqlDriverAdapter,
  slice: SliceName,
  count: (kind: StatementKind) => void,
): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolation) => {
    // BEGIN (and SET TRANSACTION) are sent by the driver, not through queryRaw/executeRaw
    count('control');
    if (isolation) count('control');
    const tx = countQueries<Transaction>(
      await sqlSpan(slice, 'BEGIN', () => startTransaction(isolation)),
      slice,
      count,
    );
    if (tx.options.usePhantomQuery) {
      // the driver sends COMMIT/ROLLBACK itself (PGlite); otherwise Prisma sends them as SQL
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = () => {
        count('control');
        return sqlSpan(slice, 'COMMIT', commit);
      };
      tx.rollback = () => {
        count('control');
        return sqlSpan(slice, 'ROLLBACK', rollback);
      };
    }
    return tx;
  };
  return countQueries(adapter, slice, count);
}
