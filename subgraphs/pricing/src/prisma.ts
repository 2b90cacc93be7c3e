import { type Database, type SqlReader, withSqlReader } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/pricing/generated/client.ts';

/**
 * The pricing slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type PricingPrisma = PrismaClient & { $read: SqlReader };

/** The handle a command's write runs with (one transaction). */
export type PricingTx = Prisma.TransactionClient;

/**
 * Every statement goes through the runtime adapter: the slice's role and the caller's tenancy.
 * `$read` sends the hot reads without the Prisma client's request machinery.
 */
export const createPrisma = (db: Database): PricingPrisma =>
  withSqlReader(new PrismaClient({ adapter: db.adapter('pricing') }), db.adapter('pricing'));
