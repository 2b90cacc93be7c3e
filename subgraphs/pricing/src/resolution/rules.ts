import { type Caller, idOf, isAdmin, isCurrency } from '@trellis/kit';
import { z } from 'zod';
import { canSeePriceBook } from '../price-books/rules.js';
import type { CandidateBook, PriceRequest } from './resolve.js';

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

/** A channel as far as the visibility of the prices resolved in it goes (org-graph's `channel_v1`). */
export interface ResolutionChannel {
  ownerOrgId: string;
  /** the organizations whose membership is ACTIVE */
  memberOrgIds: readonly string[];
}

/**
 * Prices resolved for an organization are visible to that organization, to the owner of a
 * channel in which it is an ACTIVE member (for that channel only), and to administrators.
 * Owning a channel grants nothing over an organization that has not joined it: anyone can
 * create a channel (issue 17).
 */
export function canSeeResolution(
  caller: Caller,
  resolution: { orgId: string; channel: ResolutionChannel },
): boolean {
  if (isAdmin(caller)) return true;
  if (!caller.orgId) return false;
  if (caller.orgId === resolution.orgId) return true;
  return (
    caller.orgId === resolution.channel.ownerOrgId &&
    resolution.channel.memberOrgIds.includes(resolution.orgId)
  );
}

declare const authorized: unique symbol;
/**
 * What candidate rules are read for: a SKU, the buying organization and the channel, allowed
 * to the caller (`authorizeResolution`, `ownCandidateKeys`). The candidates loader takes
 * nothing else, so the books it reads on behalf of the buyer (`app.on_behalf_of`) are only
 * ever read for an (organization, channel) pair the caller may see.
 */
export type AuthorizedCandidateKey = Pick<PriceRequest, 'skuId' | 'orgId' | 'channelId'> & {
  readonly [authorized]: true;
};
/** A price request `authorizeResolution` allowed (the decision loader takes nothing else). */
export type AuthorizedPriceRequest = PriceRequest & { readonly [authorized]: true };

/**
 * The candidates a caller may have read before its channels are known: those of its own
 * organization's requests, or any for an administrator (`canSeeResolution` allows both
 * whatever the channel). Null when any request is for another organization: whether the
 * caller owns a channel the buyer is an ACTIVE member of is then decided first.
 */
export const ownCandidateKeys = (
  caller: Caller,
  requests: readonly Pick<PriceRequest, 'skuId' | 'orgId' | 'channelId'>[],
): AuthorizedCandidateKey[] | null =>
  isAdmin(caller) || (caller.orgId !== null && requests.every((r) => r.orgId === caller.orgId))
    ? (requests as AuthorizedCandidateKey[])
    : null;

export const authorizeResolution = (
  caller: Caller,
  request: PriceRequest,
  channel: ResolutionChannel,
): AuthorizedPriceRequest | null =>
  canSeeResolution(caller, { orgId: request.orgId, channel })
    ? (request as AuthorizedPriceRequest)
    : null;

/**
 * Which books of a resolution the caller is shown (their rules, names, amounts): the same rule
 * as for reading books. The channel's owner sees the price a member pays, but not the member's
 * ORG books (they are the member's, not the channel's): `explainFor` summarises them.
 */
export const bookShown = (caller: Caller, book: CandidateBook, channelOwnerOrgId: string | null) =>
  canSeePriceBook(caller, { scope: book.scope, orgId: book.orgId, channelOwnerOrgId });
