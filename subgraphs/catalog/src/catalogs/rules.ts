import { type Caller, idOf, isAdmin } from '@trellis/kit';
import { z } from 'zod';

/** Why an offering may not be listed (or unlisted) in a channel; named in the error. */
export type ListingProblemReason =
  | 'NOT_PUBLISHED'
  | 'SKU_INACTIVE'
  | 'PRODUCT_INACTIVE'
  | 'SELLER_INACTIVE'
  | 'SELLER_NOT_ALLOWED'
  | 'NOT_LISTED';

export interface ListingProblem {
  offeringId: string;
  reason: ListingProblemReason;
  message: string;
}

/** Channel-level reasons a change is refused, for the failure counter. */
export type ChannelProblemReason =
  | 'CHANNEL_NOT_FOUND'
  | 'CHANNEL_INACTIVE'
  | 'OFFERING_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'EFFECTIVE_AT_IN_PAST'
  | 'SCHEDULE_CONFLICT';

const idempotencyKey = z.string().min(1).max(200).nullish();
/** how far in the past an effectiveAt may be (clock skew) before it counts as "in the past" */
export const EFFECTIVE_AT_TOLERANCE_MS = 5_000;
export const MAX_OFFERINGS_PER_CHANGE = 500;

export const channelChangeArgs = z.object({
  channelId: idOf('a channel'),
  offeringIds: z
    .array(idOf('an offering'))
    .min(1, 'name at least one offering')
    .max(MAX_OFFERINGS_PER_CHANGE, `at most ${MAX_OFFERINGS_PER_CHANGE} offerings per change`)
    .transform((ids) => [...new Set(ids)]),
  effectiveAt: z.date().nullish(),
  idempotencyKey,
});

export const rollbackArgs = z.object({
  channelId: idOf('a channel'),
  toVersion: z.number().int().min(1, 'versions start at 1'),
  effectiveAt: z.date().nullish(),
  idempotencyKey,
});

/** An offering at one published version, as a catalog entry lists it. */
export interface EntrySeed {
  offeringId: string;
  offeringVersionId: string;
  offeringVersionNo: number;
  skuId: string;
  sellerOrgId: string;
}

/**
 * PUBLISH: the previous entries, with every offering named at its latest published version —
 * in place when it was listed already, appended (in the order given) when it is new.
 */
export function publishEntries(previous: readonly EntrySeed[], listed: readonly EntrySeed[]) {
  const byOffering = new Map(listed.map((e) => [e.offeringId, e]));
  const kept = previous.map((e) => {
    const next = byOffering.get(e.offeringId);
    byOffering.delete(e.offeringId);
    return next ?? e;
  });
  return [...kept, ...byOffering.values()];
}

/** UNLIST: the previous entries without these offerings; `missing` were not listed. */
export function unlistEntries(previous: readonly EntrySeed[], offeringIds: readonly string[]) {
  const remove = new Set(offeringIds);
  const listed = new Set(previous.map((e) => e.offeringId));
  return {
    entries: previous.filter((e) => !remove.has(e.offeringId)),
    missing: offeringIds.filter((id) => !listed.has(id)),
  };
}

export interface ChannelFacts {
  ownerOrgId: string;
  status: string;
  memberOrgIds: readonly string[];
}

/** A seller may sell in a channel when it owns it, is a member, or is related to the owner. */
export function maySellIn(
  channel: ChannelFacts,
  sellerOrgId: string,
  relatedToOwner: ReadonlySet<string>,
): boolean {
  return (
    channel.ownerOrgId === sellerOrgId ||
    channel.memberOrgIds.includes(sellerOrgId) ||
    relatedToOwner.has(sellerOrgId)
  );
}

export interface OfferingFacts {
  id: string;
  sellerOrgId: string;
  latestVersion: number | null;
  sku: { code: string; status: string } | null;
  product: { name: string; status: string } | null;
  seller: { name: string; status: string } | null;
}

/** Why this offering cannot be listed in this channel, or null. */
export function listingProblem(
  offering: OfferingFacts,
  channel: ChannelFacts,
  relatedToOwner: ReadonlySet<string>,
): ListingProblem | null {
  const problem = (reason: ListingProblemReason, message: string) => ({
    offeringId: offering.id,
    reason,
    message,
  });
  if (offering.latestVersion === null)
    return problem(
      'NOT_PUBLISHED',
      'the offering has no published version (publishOffering first)',
    );
  if (offering.sku?.status !== 'ACTIVE')
    return problem('SKU_INACTIVE', `SKU ${offering.sku?.code ?? '?'} is not active`);
  if (offering.product?.status !== 'ACTIVE')
    return problem('PRODUCT_INACTIVE', `product ${offering.product?.name ?? '?'} is not active`);
  if (offering.seller?.status !== 'ACTIVE')
    return problem('SELLER_INACTIVE', 'the seller is not active');
  if (!maySellIn(channel, offering.sellerOrgId, relatedToOwner))
    return problem(
      'SELLER_NOT_ALLOWED',
      `the seller ${offering.seller.name} may not sell in this channel: it is neither the owner, a member, nor related to the owner`,
    );
  return null;
}

/**
 * Who is changing a channel's catalog: an administrator, the channel's owner, or a seller
 * (any other organization: it may list and unlist only its own offerings); null without an
 * organization.
 */
export type PublisherRole = 'admin' | 'owner' | 'seller';
export function publisherRole(
  caller: Caller,
  channel: { ownerOrgId: string },
): PublisherRole | null {
  if (isAdmin(caller)) return 'admin';
  if (!caller.orgId) return null;
  return caller.orgId === channel.ownerOrgId ? 'owner' : 'seller';
}

/** Offerings a seller-role caller names that are not its own. */
export function foreignOfferings(
  caller: Caller,
  offerings: readonly { id: string; sellerOrgId: string }[],
): string[] {
  return offerings.filter((o) => o.sellerOrgId !== caller.orgId).map((o) => o.id);
}

/** An effectiveAt more than the tolerance before now is "in the past". */
export function effectiveAtInPast(effectiveAt: Date | null | undefined, now: Date): boolean {
  return !!effectiveAt && effectiveAt.getTime() < now.getTime() - EFFECTIVE_AT_TOLERANCE_MS;
}

/** The version's effectiveAt: the one asked for, never before the database's now. */
export function effectiveAtOf(requested: Date | null | undefined, now: Date): Date {
  return requested && requested.getTime() > now.getTime() ? requested : now;
}

/**
 * PUBLISH and UNLIST build on the latest version. When that version is scheduled later than
 * the new one would take effect, the new one would bring the scheduled changes forward:
 * refused (schedule at or after it, or roll back to cancel it first).
 */
export function scheduleConflict(
  head: { latestVersion: number; latestEffectiveAt: Date | null },
  effectiveAt: Date,
): string | null {
  if (!head.latestEffectiveAt || head.latestEffectiveAt.getTime() <= effectiveAt.getTime())
    return null;
  return `version ${head.latestVersion} is scheduled for ${head.latestEffectiveAt.toISOString()}; schedule this change at or after that time, or roll back first to cancel the schedule`;
}
