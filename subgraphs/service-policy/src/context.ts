import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/service-policy/generated/client.ts';
import { policyLoaders } from './policies/data.js';
import { ticketLoaders } from './tickets/data.js';

export const SCHEMA = 'service_policy';
export type ServicePolicyPrisma = PrismaClient;

export const createPrisma = (db: Database): ServicePolicyPrisma =>
  new PrismaClient({ adapter: db.adapter('service-policy') });

export function createLoaders(prisma: ServicePolicyPrisma) {
  return { ...policyLoaders(prisma), ...ticketLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: ServicePolicyPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
