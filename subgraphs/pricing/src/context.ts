import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/pricing/generated/client.ts';
import { orgViewLoaders } from './org-views/data.js';
import { priceBookLoaders } from './price-books/data.js';

export const SCHEMA = 'pricing';
export type PricingPrisma = PrismaClient;

export const createPrisma = (db: Database): PricingPrisma =>
  new PrismaClient({ adapter: db.adapter('pricing') });

export function createLoaders(prisma: PricingPrisma) {
  return { ...priceBookLoaders(prisma), ...orgViewLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: PricingPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
