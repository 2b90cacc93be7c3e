import {
  buildFeatureSchema,
  type SubgraphDeps,
  type SubgraphService,
  subgraphTypeDefs,
} from '@trellis/kit';
import { type Context, createContext } from './context.js';
import { priceBookResolvers } from './price-books/resolvers.js';
import { createPrisma } from './prisma.js';
import { resolutionResolvers } from './resolution/resolvers.js';

export { createPrisma, type PricingPrisma } from './prisma.js';
export { loadCandidates } from './resolution/data.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/**
 * The pricing subgraph: price books, price rules, the price resolver. Not `defineSubgraph`:
 * its per-request context also carries the request's instant (`now`) and a decision observer
 * that logs and counts with the request's logger and metrics.
 */
export function createPricing(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'pricing',
    schema: buildFeatureSchema(typeDefs, [priceBookResolvers, resolutionResolvers]),
    context: (base) => createContext(prisma, base),
  };
}
