import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import { currentTenancy, endSharedTransactions, sharedTransaction } from '../tenancy.js';
import { finish, RequestTransaction } from './request-transaction.js';
import { settingsQuery } from './settings.js';

export interface TenantAdapterOptions {
  /**
   * the driver applies the role and the current tenancy itself (PostgreSQL's runtime pools,
   * `runtimePool`): to a transaction's BEGIN, and to each statement outside a
   * transaction in that statement's own round trip; otherwise the settings statement follows
   * BEGIN, and a statement outside a transaction is wrapped in one
   */
  settingsByDriver?: boolean;
}

/**
 * The runtime adapter: the slice's role and the current tenancy hold for every statement.
 * A transaction starts with the settings statement; a statement outside a transaction becomes
 * BEGIN, settings, statement, COMMIT, unless its request shares a transaction
 * (`shareTransactions`), which then takes it — or, when the driver applies the settings
 * (`settingsByDriver`), goes out as it is. The settings are transaction-local
 * (`set_config(…, true)` is SET LOCAL), so a pooled connection carries nothing over to the next
 * transaction.
 */
export function tenantAdapter(
  adapter: SqlDriverAdapter,
  role: string,
  connection: string,
  options: TenantAdapterOptions = {},
): SqlDriverAdapter {
  const begin = async (isolation?: IsolationLevel): Promise<Transaction> => {
    // SET TRANSACTION must precede any query, and the batched BEGIN already ran one
    if (isolation && options.settingsByDriver)
      throw new Error('runtime transactions run at the default isolation level');
    const tx = await adapter.startTransaction(isolation);
    if (options.settingsByDriver) return tx;
    try {
      await tx.executeRaw(settingsQuery(role, currentTenancy()));
    } catch (error) {
      await finish(tx, false).catch(() => {});
      throw error;
    }
    return tx;
  };
  const once = async <R>(run: (queryable: SqlQueryable) => Promise<R>): Promise<R> => {
    // one round trip, one implicit transaction: nothing to share
    if (options.settingsByDriver) return run(adapter);
    const shared = sharedTransaction(connection, () => new RequestTransaction(begin, role));
    if (shared) return shared.run(role, run);
    const tx = await begin();
    let result: R;
    try {
      result = await run(tx);
    } catch (error) {
      await finish(tx, false).catch(() => {});
      throw error;
    }
    await finish(tx, true);
    return result;
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (q) => once((tx) => tx.queryRaw(q)),
    executeRaw: (q) => once((tx) => tx.executeRaw(q)),
    executeScript: async () => {
      throw new Error('scripts do not run through a runtime adapter (use Database.exec)');
    },
    // a Prisma transaction holds a connection of its own: the request's shared one is committed
    // first (PGlite has a single connection, which the shared transaction would hold)
    startTransaction: async (isolation) => {
      await endSharedTransactions();
      return begin(isolation);
    },
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
  };
}

/**
 * `factory`'s connections as runtime adapters for `role`; `connection` names what their
 * transactions hold (a request shares one transaction per connection source). Wrap the counted
 * factory, so that what is counted is what is sent.
 */
export const tenantAdapterFactory = (
  factory: SqlDriverAdapterFactory,
  role: string,
  connection: string,
  options: TenantAdapterOptions = {},
): SqlDriverAdapterFactory => ({
  provider: factory.provider,
  adapterName: factory.adapterName,
  connect: async () => tenantAdapter(await factory.connect(), role, connection, options),
});
