// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.

export type {
  CatalogEntryRow as CatalogEntry,
  CatalogVersionRow as CatalogVersion,
  ChannelRef as Channel,
} from './catalogs/catalog-version-store.js';
export type {
  ListedOffering as Offering,
  ListedOfferingVersion as OfferingVersion,
} from './offerings/offering-store.js';
export type { OrganizationRef as Organization } from './org-views/org-view-store.js';
export type { ListedProduct as Product, ListedSku as Sku } from './products/product-store.js';
