import type { RequestContext } from '@trellis/kit';
import { catalogLoaders } from './catalogs/catalog-version-store.js';
import { offeringLoaders } from './offerings/offering-store.js';
import { orgViewLoaders } from './org-views/org-view-store.js';
import type { CatalogPrisma } from './prisma.js';
import { productLoaders } from './products/product-store.js';

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
