import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/catalog/generated/client.ts';

/**
 * The catalog slice's Prisma client. Its own module so that the context and the data modules
 * import it without importing each other.
 */
export type CatalogPrisma = PrismaClient;

/** Every statement goes through the runtime adapter: the slice's role and the caller's tenancy. */
export const createPrisma = (db: Database): CatalogPrisma =>
  new PrismaClient({ adapter: db.adapter('catalog') });
