import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { createLoaders } from './context.js';
import { engineerResolvers } from './engineers/resolvers.js';
import { createPrisma } from './prisma.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The workforce subgraph: engineers, memberships, skills, coverage, eligibility, assignment. */
export const createWorkforce = defineSubgraph({
  name: 'workforce',
  typeDefs,
  features: [engineerResolvers],
  createPrisma,
  createLoaders,
});
