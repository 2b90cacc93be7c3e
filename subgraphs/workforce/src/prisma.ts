import type { Database } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/workforce/generated/client.ts';

/**
 * The workforce slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type WorkforcePrisma = PrismaClient;

/** Every statement goes through the runtime adapter: the slice's role and the caller's tenancy. */
export const createPrisma = (db: Database): WorkforcePrisma =>
  new PrismaClient({ adapter: db.adapter('workforce') });

/** The handle a command's write runs with (one transaction). */
export type WorkforceTx = Prisma.TransactionClient;
