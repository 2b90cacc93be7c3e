import type { Database } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/agreements/generated/client.ts';

/**
 * The agreements slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type AgreementsPrisma = PrismaClient;

/** Every statement goes through the runtime adapter: the slice's role and the caller's tenancy. */
export const createPrisma = (db: Database): AgreementsPrisma =>
  new PrismaClient({ adapter: db.adapter('agreements') });

/** The handle a command's write runs with (one transaction). */
export type AgreementsTx = Prisma.TransactionClient;
