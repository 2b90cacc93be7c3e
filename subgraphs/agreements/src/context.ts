import type { RequestContext } from '@trellis/kit';
import { agreementLoaders } from './agreements/agreement-store.js';
import type { AgreementsPrisma } from './prisma.js';
import { slaPolicyLoaders } from './sla-policies/sla-policy-store.js';
import { webhookLoaders } from './webhooks/webhook-store.js';

export const SCHEMA = 'agreements';

export function createLoaders(prisma: AgreementsPrisma) {
  return { ...agreementLoaders(prisma), ...slaPolicyLoaders(prisma), ...webhookLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: AgreementsPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
