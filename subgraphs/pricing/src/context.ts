import type { RequestContext } from '@trellis/kit';
import { orgViewLoaders } from './org-views/org-view-store.js';
import { priceBookLoaders } from './price-books/price-book-store.js';
import type { PricingPrisma } from './prisma.js';
import { candidatesLoader, decisionLoader } from './resolution/candidate-store.js';
import { observeDecisions } from './resolution/metrics.js';

export const SCHEMA = 'pricing';

/** Per-request loaders; every batch of price decisions is logged and counted for the request. */
export function createLoaders(prisma: PricingPrisma, base: RequestContext) {
  const books = priceBookLoaders(prisma);
  const candidates = candidatesLoader(prisma, (candidate) => {
    books.priceBook.prime(candidate.book.id, candidate.book.row);
    books.priceRule.primeLazily(candidate.id, candidate.row);
  });
  return {
    ...books,
    ...orgViewLoaders(prisma),
    candidates,
    priceDecision: decisionLoader(candidates, { observe: observeDecisions(base) }),
  };
}

/** The request's instant: every default `at` (and a new book's default start) of one request is the same. */
export const requestInstant = () => ({ now: new Date() });

export interface Context extends RequestContext, ReturnType<typeof requestInstant> {
  prisma: PricingPrisma;
  loaders: ReturnType<typeof createLoaders>;
}
