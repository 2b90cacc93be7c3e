import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { createLoaders } from './context.js';
import { policyResolvers } from './policies/resolvers.js';
import { createPrisma } from './prisma.js';
import { ticketResolvers } from './tickets/resolvers.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The service-policy subgraph: service policies, tickets, responsible-organization assignment. */
export const createServicePolicy = defineSubgraph({
  name: 'service-policy',
  typeDefs,
  features: [policyResolvers, ticketResolvers],
  createPrisma,
  createLoaders,
});
