// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type { ServicePolicyRow as ServicePolicy } from './policies/data.js';
export type { TicketRow as Ticket } from './tickets/data.js';
export type {
  Provenance as ResponsibilityProvenance,
  ProvenanceStep as ResponsibilityStep,
} from './tickets/rules.js';
