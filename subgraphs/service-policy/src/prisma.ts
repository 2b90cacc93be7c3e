import type { Database } from '@trellis/prisma';
import { type Prisma, PrismaClient } from '@trellis/prisma/service-policy/generated/client.ts';

/**
 * The service-policy slice's Prisma client. Its own module so that the context and the store
 * modules import it without importing each other.
 */
export type ServicePolicyPrisma = PrismaClient;

/** The handle a command's write runs with (one transaction). */
export type ServicePolicyTx = Prisma.TransactionClient;

/** Every statement goes through the runtime adapter: the slice's role and the caller's tenancy. */
export const createPrisma = (db: Database): ServicePolicyPrisma =>
  new PrismaClient({ adapter: db.adapter('service-policy') });
