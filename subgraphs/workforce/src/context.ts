import type { RequestContext } from '@trellis/kit';
import { engineerLoaders } from './engineers/engineer-store.js';
import type { WorkforcePrisma } from './prisma.js';

export const SCHEMA = 'workforce';

export function createLoaders(prisma: WorkforcePrisma) {
  return { ...engineerLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: WorkforcePrisma;
  loaders: ReturnType<typeof createLoaders>;
}
