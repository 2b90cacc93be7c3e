// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.

export type {
  ChannelRow as Channel,
  MembershipRow as ChannelMembership,
} from './channels/channel-store.js';
export type {
  ManufacturerRow as Manufacturer,
  SupplierRow as Supplier,
} from './legacy/legacy-store.js';
export type {
  OrganizationRow as Organization,
  RelationshipRow as OrgRelationship,
} from './organizations/organization-store.js';
