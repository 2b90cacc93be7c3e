import { type Caller, idOf, isAdmin, isCurrency } from '@trellis/kit';
import { z } from 'zod';
import { canSeePriceBook } from '../price-books/rules.js';
import type { CandidateBook } from './resolve.js';

/** At most this many inputs per `resolvePrices` call. */
export const MAX_BATCH = 1000;

export const resolvePriceInput = z.object({
  skuId: idOf('a SKU'),
  orgId: idOf('an organization'),
  channelId: idOf('a channel'),
  at: z.date({ error: 'must be a date-time' }).nullish(),
  currency: z
    .string()
    .refine(isCurrency, 'currency must be an ISO 4217 code such as "EUR"')
    .nullish(),
  quantity: z.number().int().min(1, 'quantity must be at least 1').nullish(),
});
export type ResolvePriceArgs = z.infer<typeof resolvePriceInput>;

export const resolvePricesInput = z
  .array(resolvePriceInput)
  .max(MAX_BATCH, `at most ${MAX_BATCH} inputs per request`);

/**
 * Prices resolved for an organization are visible to that organization, the owner of the
 * channel it buys through, and administrators (contract README, "Visibility").
 */
export function canSeeResolution(
  caller: Caller,
  resolution: { orgId: string; channelOwnerOrgId: string | null },
): boolean {
  if (isAdmin(caller)) return true;
  if (!caller.orgId) return false;
  return caller.orgId === resolution.orgId || caller.orgId === resolution.channelOwnerOrgId;
}

/**
 * Which books of a resolution the caller is shown (their rules and ids): the same rule as for
 * reading books. The channel's owner sees the price an organization pays, but not that
 * organization's ORG books (they are the organization's, not the channel's): their
 * explanation lines keep scope, outcome and reason, without rule or book.
 */
export const bookShown = (caller: Caller, book: CandidateBook, channelOwnerOrgId: string | null) =>
  canSeePriceBook(caller, { scope: book.scope, orgId: book.orgId, channelOwnerOrgId });
