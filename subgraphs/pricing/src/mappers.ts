// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type {
  PriceBookRow as PriceBook,
  PriceRuleRow as PriceRule,
} from './price-books/price-book-store.js';
export type { Price as Money } from './resolution/resolve.js';
export type {
  CandidateView as PriceCandidate,
  CatalogEntryRef as CatalogEntry,
  ResolutionView as PriceResolution,
} from './resolution/views.js';
