import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { createLoaders, requestInstant } from './context.js';
import { priceBookResolvers } from './price-books/resolvers.js';
import { createPrisma } from './prisma.js';
import { resolutionResolvers } from './resolution/resolvers.js';

export { orgViewLoaders } from './org-views/org-view-store.js';
export { createPrisma, type PricingPrisma } from './prisma.js';
export { loadCandidates } from './resolution/candidate-store.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/**
 * The pricing subgraph: price books, price rules, the price resolver. Its per-request context
 * also carries the request's instant (`now`); its loaders log and count price decisions with
 * the request's logger and metrics.
 */
export const createPricing = defineSubgraph({
  name: 'pricing',
  typeDefs,
  features: [priceBookResolvers, resolutionResolvers],
  createPrisma,
  createLoaders,
  extendContext: requestInstant,
});
