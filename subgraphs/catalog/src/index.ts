import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { registerListingsGauge } from './catalogs/metrics.js';
import { catalogResolvers } from './catalogs/resolvers.js';
import { createLoaders } from './context.js';
import { offeringResolvers } from './offerings/resolvers.js';
import { createPrisma } from './prisma.js';
import { productResolvers } from './products/resolvers.js';

export { type EntryGraph, readEntryPages } from './catalogs/catalog-version-store.js';
export {
  type CatalogSchedulerOptions,
  emitDueCatalogEvents,
  startCatalogScheduler,
} from './catalogs/scheduler.js';
export { type CatalogPrisma, createPrisma } from './prisma.js';
export { createLoaders };

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The catalog subgraph: products, SKUs, offerings, channel catalogs. */
export const createCatalog = defineSubgraph({
  name: 'catalog',
  typeDefs,
  features: [productResolvers, offeringResolvers, catalogResolvers],
  createPrisma,
  createLoaders,
  setup: (deps, prisma) => registerListingsGauge(deps.metrics, prisma, deps.logger),
});
