import { type Database, type SqlReader, withSqlReader } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/org-graph/generated/client.ts';

/**
 * The org-graph slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type OrgGraphPrisma = PrismaClient & { $read: SqlReader };

/** The handle a command's write runs with (one transaction). */
export type OrgGraphTx = Prisma.TransactionClient;

/**
 * Every statement goes through the runtime adapter: the slice's role and the caller's tenancy.
 * `$read` sends the hot reads without the Prisma client's request machinery.
 */
export const createPrisma = (db: Database): OrgGraphPrisma =>
  withSqlReader(new PrismaClient({ adapter: db.adapter('org-graph') }), db.adapter('org-graph'));
