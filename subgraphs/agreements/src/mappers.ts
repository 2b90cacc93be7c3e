// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type { AgreementRow as Agreement } from './agreements/agreement-store.js';
export type { EventRow as Event } from './events/outbox-event-store.js';
export type { SlaPolicyRow as SlaPolicy } from './sla-policies/sla-policy-store.js';
export type { TicketRef as Ticket } from './ticket-sla/ticket-store.js';
export type {
  SecretAnswer as CreateWebhookSubscriptionPayload,
  SecretAnswer as RotateWebhookSecretPayload,
  WebhookAttemptRow as WebhookAttempt,
  WebhookDeliveryRow as WebhookDelivery,
  WebhookSubscriptionRow as WebhookSubscription,
} from './webhooks/webhook-store.js';
