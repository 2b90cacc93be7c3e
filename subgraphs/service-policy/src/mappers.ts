// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type { ServicePolicyRow as ServicePolicy } from './policies/policy-store.js';
export type {
  Provenance as ResponsibilityProvenance,
  ProvenanceStep as ResponsibilityStep,
} from './tickets/rules.js';
export type {
  TicketOwnerRef as Organization,
  TicketOwnerRef as Sku,
  TicketRow as Ticket,
} from './tickets/ticket-store.js';
