// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type { AgreementRow as Agreement } from './agreements/data.js';
export type { EventRow as Event } from './events/data.js';
export type { SlaPolicyRow as SlaPolicy } from './sla-policies/data.js';
export type {
  WebhookDeliveryRow as WebhookDelivery,
  WebhookSubscriptionRow as WebhookSubscription,
} from './webhooks/data.js';
