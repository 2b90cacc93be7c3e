import type { PriceDecision } from './resolve.js';

// The values the resolution's GraphQL types resolve from (`src/mappers.ts`).

/** What `PriceResolution` resolves from: the decision and who the caller is shown. */
export interface ResolutionView {
  decision: PriceDecision;
  channelOwnerOrgId: string | null;
}

/** What `PriceCandidate` resolves from. */
export interface CandidateView {
  verdict: PriceDecision['explanation'][number];
  /** whether the caller is shown the rule and its book */
  shown: boolean;
}

/** A catalog entry as pricing knows it: its key. */
export interface CatalogEntryRef {
  id: string;
  channelId: string;
  skuId: string;
}
