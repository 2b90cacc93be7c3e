import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { type Context, createLoaders, createPrisma } from './context.js';
import { engineerResolvers } from './engineers/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The workforce subgraph: engineers, memberships, skills, coverage, eligibility, assignment. */
export function createWorkforce(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'workforce',
    schema: buildFeatureSchema(typeDefs, [engineerResolvers]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
