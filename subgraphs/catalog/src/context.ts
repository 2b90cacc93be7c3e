import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/catalog/generated/client.ts';
import { catalogLoaders } from './catalogs/data.js';
import { offeringLoaders } from './offerings/data.js';
import { orgViewLoaders } from './org-views/data.js';
import { productLoaders } from './products/data.js';

export const SCHEMA = 'catalog';
export type CatalogPrisma = PrismaClient;

export const createPrisma = (db: Database): CatalogPrisma =>
  new PrismaClient({ adapter: db.adapter('catalog') });

export function createLoaders(prisma: CatalogPrisma) {
  const products = productLoaders(prisma);
  const offerings = offeringLoaders(prisma);
  const orgViews = orgViewLoaders(prisma);
  return {
    ...products,
    ...orgViews,
    ...offerings,
    ...catalogLoaders(prisma, { ...products, ...offerings, ...orgViews }),
  };
}

export interface Context extends RequestContext {
  prisma: CatalogPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
