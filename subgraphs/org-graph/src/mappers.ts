// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.

export type { ChannelRow as Channel, MembershipRow as ChannelMembership } from './channels/data.js';
export type { ManufacturerRow as Manufacturer, SupplierRow as Supplier } from './legacy/data.js';
export type {
  OrganizationRow as Organization,
  RelationshipRow as OrgRelationship,
} from './organizations/data.js';
