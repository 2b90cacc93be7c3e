import type { RequestContext } from '@trellis/kit';
import { agreementLoaders, versionLoaders } from './agreements/agreement-store.js';
import type { AgreementsPrisma } from './prisma.js';
import { slaPolicyLoaders } from './sla-policies/sla-policy-store.js';
import { ticketSlaLoaders } from './ticket-sla/ticket-store.js';
import { webhookLoaders } from './webhooks/webhook-store.js';

export const SCHEMA = 'agreements';

export function createLoaders(prisma: AgreementsPrisma) {
  return {
    ...agreementLoaders(prisma),
    ...versionLoaders(prisma),
    ...slaPolicyLoaders(prisma),
    ...ticketSlaLoaders(prisma),
    ...webhookLoaders(prisma),
  };
}

export interface Context extends RequestContext {
  prisma: AgreementsPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
