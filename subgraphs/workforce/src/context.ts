import type { RequestContext } from '@trellis/kit';
import { assignmentLoaders } from './assignments/assignment-store.js';
import { ticketLoaders } from './assignments/ticket-store.js';
import { engineerLoaders } from './engineers/engineer-store.js';
import type { WorkforcePrisma } from './prisma.js';

export const SCHEMA = 'workforce';

export function createLoaders(prisma: WorkforcePrisma) {
  return { ...engineerLoaders(prisma), ...ticketLoaders(prisma), ...assignmentLoaders(prisma) };
}

export interface Context extends RequestContext {
  prisma: WorkforcePrisma;
  loaders: ReturnType<typeof createLoaders>;
}
