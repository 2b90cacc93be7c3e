import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { channelResolvers } from './channels/resolvers.js';
import { createLoaders } from './context.js';
import { flagResolvers } from './flags/resolvers.js';
import { legacyResolvers } from './legacy/resolvers.js';
import { organizationResolvers } from './organizations/resolvers.js';
import { createPrisma } from './prisma.js';

export { type BackfillProgress, type BackfillSummary, backfillLegacy } from './legacy/backfill.js';
export { legacyParity, type ParityReport } from './legacy/parity.js';
export { LEGACY_KINDS, type LegacyKind, legacyOrgTypes, type Mismatch } from './legacy/rules.js';
export { createLoaders, createPrisma };

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The org-graph subgraph: organizations, relationships, channels, legacy manufacturers/suppliers. */
export const createOrgGraph = defineSubgraph({
  name: 'org-graph',
  typeDefs,
  features: [organizationResolvers, channelResolvers, legacyResolvers, flagResolvers],
  createPrisma,
  createLoaders,
});
