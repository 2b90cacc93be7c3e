import type { Price, PriceDecision, PriceScope } from './resolve.js';

// The values the resolution's GraphQL types resolve from (`src/mappers.ts`).

/**
 * What `PriceResolution` resolves from: the decision and who the caller is shown, with the
 * fields every caller reads as they are, so they need no resolver (a page of 142 prices would
 * call each of them 142 times).
 */
export interface ResolutionView {
  decision: PriceDecision;
  channelOwnerOrgId: string | null;
  reason: PriceDecision['reason'];
  price: Price | null;
  scope: PriceScope | null;
  taxIncluded: boolean | null;
  taxCategory: string | null;
  at: Date;
  quantity: number;
  currency: string;
}

export const resolutionView = (
  decision: PriceDecision,
  channelOwnerOrgId: string | null,
): ResolutionView => ({
  decision,
  channelOwnerOrgId,
  reason: decision.reason,
  price: decision.price,
  scope: decision.scope,
  taxIncluded: decision.taxIncluded,
  taxCategory: decision.taxCategory,
  at: decision.request.at,
  quantity: decision.request.quantity,
  currency: decision.request.currency,
});

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
