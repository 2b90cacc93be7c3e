import type { RequestContext } from '@trellis/kit';
import { agreementLoaders } from './agreements/data.js';
import type { AgreementsPrisma } from './prisma.js';
import { slaPolicyLoaders } from './sla-policies/data.js';
import { webhookLoaders } from './webhooks/data.js';

export const SCHEMA = 'agreements';

export function createLoaders(prisma: AgreementsPrisma) {
  return { ...agreementLoaders(prisma), ...slaPolicyLoaders(prisma), ...webhookLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: AgreementsPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
