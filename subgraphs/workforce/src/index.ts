import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { assignmentResolvers } from './assignments/resolvers.js';
import { type Context, createLoaders } from './context.js';
import { eligibilityResolvers } from './eligibility/resolvers.js';
import type { EngineerRow } from './engineers/engineer-store.js';
import { engineerResolvers } from './engineers/resolvers.js';
import { piiOwnersOf } from './engineers/rules.js';
import { createPrisma } from './prisma.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The workforce subgraph: engineers, memberships, skills, coverage, eligibility, assignment. */
export const createWorkforce = defineSubgraph({
  name: 'workforce',
  typeDefs,
  features: [engineerResolvers, eligibilityResolvers, assignmentResolvers],
  createPrisma,
  createLoaders,
  // an engineer's PII is its current organizations' (memberships: one batched statement)
  piiOwners: {
    Engineer: async (e: EngineerRow, ctx: Context) =>
      piiOwnersOf(await ctx.loaders.membershipsOf.load(e.id), new Date()),
  },
});
