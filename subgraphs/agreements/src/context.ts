import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/agreements/generated/client.ts';
import { agreementLoaders } from './agreements/data.js';
import { slaPolicyLoaders } from './sla-policies/data.js';
import { webhookLoaders } from './webhooks/data.js';

export const SCHEMA = 'agreements';
export type AgreementsPrisma = PrismaClient;

export const createPrisma = (db: Database): AgreementsPrisma =>
  new PrismaClient({ adapter: db.adapter('agreements') });

export function createLoaders(prisma: AgreementsPrisma) {
  return { ...agreementLoaders(prisma), ...slaPolicyLoaders(prisma), ...webhookLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: AgreementsPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
