import type { RequestContext } from '@trellis/kit';
import { channelLoaders } from './channels/channel-store.js';
import { organizationLoaders } from './organizations/organization-store.js';
import type { OrgGraphPrisma } from './prisma.js';

export const SCHEMA = 'org_graph';

export function createLoaders(prisma: OrgGraphPrisma) {
  return { ...organizationLoaders(prisma), ...channelLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: OrgGraphPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
