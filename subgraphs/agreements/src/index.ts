import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFeatureSchema,
  loadTypeDefs,
  type SubgraphDeps,
  type SubgraphService,
} from '@trellis/kit';
import { agreementResolvers } from './agreements/resolvers.js';
import { type Context, createLoaders, createPrisma } from './context.js';
import { eventResolvers } from './events/resolvers.js';
import { slaPolicyResolvers } from './sla-policies/resolvers.js';
import { webhookResolvers } from './webhooks/resolvers.js';

export const typeDefs = loadTypeDefs(dirname(fileURLToPath(import.meta.url)));

/** The agreements subgraph: agreements, SLA policies, the event outbox, webhooks. */
export function createAgreements(deps: SubgraphDeps): SubgraphService<Context> {
  const prisma = createPrisma(deps.db);
  return {
    name: 'agreements',
    schema: buildFeatureSchema(typeDefs, [
      agreementResolvers,
      slaPolicyResolvers,
      eventResolvers,
      webhookResolvers,
    ]),
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
  };
}
