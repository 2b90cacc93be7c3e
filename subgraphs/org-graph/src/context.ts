import type { RequestContext } from '@trellis/kit';
import { channelLoaders, organizationWithChannels } from './channels/channel-store.js';
import { organizationLoaders } from './organizations/organization-store.js';
import type { OrgGraphPrisma } from './prisma.js';

export const SCHEMA = 'org_graph';

export function createLoaders(prisma: OrgGraphPrisma) {
  const loaders = { ...organizationLoaders(prisma), ...channelLoaders(prisma) };
  return { ...loaders, organizationWithChannels: organizationWithChannels(prisma, loaders) };
}

export interface Context extends RequestContext {
  prisma: OrgGraphPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
