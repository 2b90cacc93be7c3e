import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { type Context, createLoaders, createPrisma } from './context.js';
import { productResolvers } from './products/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The catalog subgraph: products, SKUs, offerings, channel catalogs. */
export function createCatalog(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'catalog',
    schema: buildFeatureSchema(typeDefs, [productResolvers]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
