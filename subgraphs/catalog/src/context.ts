import type { RequestContext } from '@trellis/kit';
import { catalogLoaders } from './catalogs/data.js';
import { offeringLoaders } from './offerings/data.js';
import { orgViewLoaders } from './org-views/data.js';
import type { CatalogPrisma } from './prisma.js';
import { productLoaders } from './products/data.js';

export const SCHEMA = 'catalog';

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
