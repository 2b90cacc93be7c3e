import type { SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { currentTenancy, type SharedTransaction, type Tenancy } from '../tenancy.js';
import { settingsQuery } from './settings.js';

const sql = (text: string): SqlQuery => ({ sql: text, args: [], argTypes: [] });

/** Ends a transaction the way Prisma's engine does for this driver. */
export async function finish(tx: Transaction, commit: boolean): Promise<void> {
  if (tx.options.usePhantomQuery) {
    await (commit ? tx.commit() : tx.rollback());
    return;
  }
  if (!commit) {
    try {
      await tx.executeRaw(sql('ROLLBACK'));
    } finally {
      await tx.rollback();
    }
    return;
  }
  try {
    await tx.executeRaw(sql('COMMIT'));
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  await tx.commit();
}

/**
 * One transaction that the statements of a request share (`shareTransactions`): opened on the
 * first statement, one statement at a time, the settings re-applied when a statement runs for
 * another tenancy (a nested `withTenancy`). A failed statement rolls the transaction back and
 * the next one opens a new transaction, as if each had run alone.
 */
export class RequestTransaction implements SharedTransaction {
  #tx: Transaction | undefined;
  #applied: { role: string; tenancy: Tenancy | undefined } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** `begin` opens a transaction and applies the settings of `role` and the current tenancy */
  constructor(
    private readonly begin: () => Promise<Transaction>,
    private readonly role: string,
  ) {}

  run<R>(role: string, statement: (tx: Transaction) => Promise<R>): Promise<R> {
    const tenancy = currentTenancy();
    const result = this.#queue.then(async () => {
      if (!this.#tx) {
        this.#tx = await this.begin();
        this.#applied = { role: this.role, tenancy };
      }
      const tx = this.#tx;
      try {
        if (this.#applied?.role !== role || this.#applied.tenancy !== tenancy) {
          await tx.executeRaw(settingsQuery(role, tenancy));
          this.#applied = { role, tenancy };
        }
        return await statement(tx);
      } catch (error) {
        this.#tx = undefined;
        this.#applied = undefined;
        await finish(tx, false).catch(() => {});
        throw error;
      }
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  async end(): Promise<void> {
    await this.#queue;
    const tx = this.#tx;
    this.#tx = undefined;
    this.#applied = undefined;
    if (tx) await finish(tx, true);
  }
}
