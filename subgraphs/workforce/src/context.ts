import type { RequestContext } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/workforce/generated/client.ts';
import { engineerLoaders } from './engineers/data.js';

export const SCHEMA = 'workforce';
export type WorkforcePrisma = PrismaClient;

export const createPrisma = (db: Database): WorkforcePrisma =>
  new PrismaClient({ adapter: db.adapter('workforce') });

export function createLoaders(prisma: WorkforcePrisma) {
  return { ...engineerLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: WorkforcePrisma;
  loaders: ReturnType<typeof createLoaders>;
}
