import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { type Context, createLoaders, createPrisma } from './context.js';
import { policyResolvers } from './policies/resolvers.js';
import { ticketResolvers } from './tickets/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The service-policy subgraph: service policies, tickets, responsible-organization assignment. */
export function createServicePolicy(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'service-policy',
    schema: buildFeatureSchema(typeDefs, [policyResolvers, ticketResolvers]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
