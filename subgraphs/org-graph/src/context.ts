import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/org-graph/generated/client.ts';
import { channelLoaders } from './channels/data.js';
import { organizationLoaders } from './organizations/data.js';

export const SCHEMA = 'org_graph';
export type OrgGraphPrisma = PrismaClient;

export const createPrisma = (db: Database): OrgGraphPrisma =>
  new PrismaClient({ adapter: db.adapter('org-graph') });

export function createLoaders(prisma: OrgGraphPrisma) {
  return { ...organizationLoaders(prisma), ...channelLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: OrgGraphPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
