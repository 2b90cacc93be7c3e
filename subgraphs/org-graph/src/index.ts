import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { channelResolvers } from './channels/resolvers.js';
import { type Context, createLoaders, createPrisma } from './context.js';
import { flagResolvers } from './flags/resolvers.js';
import { legacyResolvers } from './legacy/resolvers.js';
import { organizationResolvers } from './organizations/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The org-graph subgraph: organizations, relationships, channels, legacy manufacturers/suppliers. */
export function createOrgGraph(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'org-graph',
    schema: buildFeatureSchema(typeDefs, [
      organizationResolvers,
      channelResolvers,
      legacyResolvers,
      flagResolvers,
    ]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
