import type { RequestContext } from '@trellis/kit';
import { channelLoaders } from './channels/data.js';
import { organizationLoaders } from './organizations/data.js';
import type { OrgGraphPrisma } from './prisma.js';

export const SCHEMA = 'org_graph';

export function createLoaders(prisma: OrgGraphPrisma) {
  return { ...organizationLoaders(prisma), ...channelLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: OrgGraphPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
