import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/service-policy/generated/client.ts';

/**
 * The service-policy slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type ServicePolicyPrisma = PrismaClient;

/** Every statement goes through the runtime adapter: the slice's role and the caller's tenancy. */
export const createPrisma = (db: Database): ServicePolicyPrisma =>
  new PrismaClient({ adapter: db.adapter('service-policy') });
