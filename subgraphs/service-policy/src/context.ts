import type { RequestContext } from '@trellis/kit';
import { policyLoaders } from './policies/policy-store.js';
import type { ServicePolicyPrisma } from './prisma.js';
import { ticketLoaders } from './tickets/ticket-store.js';

export const SCHEMA = 'service_policy';

export function createLoaders(prisma: ServicePolicyPrisma) {
  return { ...policyLoaders(prisma), ...ticketLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: ServicePolicyPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
