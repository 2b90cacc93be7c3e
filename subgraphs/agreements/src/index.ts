import { defineSubgraph, subgraphTypeDefs } from '@trellis/kit';
import { agreementResolvers } from './agreements/resolvers.js';
import { createLoaders } from './context.js';
import { eventResolvers } from './events/resolvers.js';
import { createPrisma } from './prisma.js';
import { slaPolicyResolvers } from './sla-policies/resolvers.js';
import { ticketSlaResolvers } from './ticket-sla/resolvers.js';
import { webhookResolvers } from './webhooks/resolvers.js';

export const typeDefs = subgraphTypeDefs(import.meta.url);

/** The agreements subgraph: agreements, SLA policies, the event outbox, webhooks. */
export const createAgreements = defineSubgraph({
  name: 'agreements',
  typeDefs,
  features: [
    agreementResolvers,
    slaPolicyResolvers,
    ticketSlaResolvers,
    eventResolvers,
    webhookResolvers,
  ],
  createPrisma,
  createLoaders,
});
export { createPrisma } from './prisma.js';
export { emitDueSlaEvents, startSlaScheduler } from './ticket-sla/scheduler.js';
export { DEMO_RECEIVER_PATH, demoReceiver, ensureDemoSubscription } from './webhooks/demo.js';
export {
  createDispatcher,
  Dispatcher,
  type DispatcherOptions,
  dispatcherOptions,
  type RunningDispatcher,
  startDispatcher,
} from './webhooks/dispatcher.js';
export { encryptSecret, newSigningSecret } from './webhooks/secrets.js';
