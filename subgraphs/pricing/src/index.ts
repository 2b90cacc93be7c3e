import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { type Context, createLoaders, createPrisma } from './context.js';
import { priceBookResolvers } from './price-books/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The pricing subgraph: price books, price rules, the price resolver. */
export function createPricing(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'pricing',
    schema: buildFeatureSchema(typeDefs, [priceBookResolvers]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
