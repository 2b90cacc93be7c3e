import { type Caller, isAdmin } from '@trellis/kit';
import type { PriceScope } from '@trellis/prisma/pricing/generated/enums.ts';
import { z } from 'zod';

export const PRICE_SCOPES = [
  'GLOBAL',
  'ORG',
  'CHANNEL',
  'ORG_CHANNEL',
] as const satisfies readonly PriceScope[];

/** Filters of `Query.priceBooks` (besides paging). */
export const priceBooksFilter = z.object({
  scope: z.enum(PRICE_SCOPES).nullish(),
  orgId: z.uuid('must be an organization id').nullish(),
  channelId: z.uuid('must be a channel id').nullish(),
});
export type PriceBooksFilter = z.infer<typeof priceBooksFilter>;

/** What decides who may see a price book. */
export interface PriceBookAudience {
  scope: PriceScope;
  orgId: string | null;
  /** the owner of the book's channel (org-graph); undefined when not looked up */
  channelOwnerOrgId?: string | null;
}

/**
 * GLOBAL and CHANNEL books are visible to every authenticated caller; ORG and ORG_CHANNEL books
 * only to their organization, the channel's owner (ORG_CHANNEL) and administrators.
 */
export function canSeePriceBook(caller: Caller, book: PriceBookAudience): boolean {
  if (book.scope === 'GLOBAL' || book.scope === 'CHANNEL') return true;
  if (isAdmin(caller)) return true;
  if (!caller.orgId) return false;
  if (book.orgId === caller.orgId) return true;
  return book.scope === 'ORG_CHANNEL' && book.channelOwnerOrgId === caller.orgId;
}

/**
 * Whether `canSeePriceBook` could still change its answer once the channel's owner is known
 * (so the owner is looked up only then).
 */
export function needsChannelOwner(caller: Caller, book: PriceBookAudience): boolean {
  return (
    book.scope === 'ORG_CHANNEL' &&
    book.channelOwnerOrgId === undefined &&
    caller.orgId !== null &&
    !canSeePriceBook(caller, book)
  );
}
