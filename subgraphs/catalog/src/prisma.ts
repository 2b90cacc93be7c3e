import { type Database, type SqlReader, withSqlReader } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/catalog/generated/client.ts';

/**
 * The catalog slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type CatalogPrisma = PrismaClient & { $read: SqlReader };

/** The handle a command's write runs with (one transaction). */
export type CatalogTx = Prisma.TransactionClient;

/**
 * Every statement goes through the runtime adapter: the slice's role and the caller's tenancy.
 * `$read` sends the hot reads without the Prisma client's request machinery.
 */
export const createPrisma = (db: Database): CatalogPrisma =>
  withSqlReader(new PrismaClient({ adapter: db.adapter('catalog') }), db.adapter('catalog'));
