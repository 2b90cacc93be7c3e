import { type Caller, idOf, isAdmin } from '@trellis/kit';
import { z } from 'zod';

export const webhookSubscriptionsArgs = z.object({ orgId: idOf('an organization').nullish() });
export const webhookDeliveriesArgs = z.object({
  subscriptionId: idOf('a webhook subscription'),
});

/** A subscription, and its deliveries, are visible to its owner organization and to admin. */
export function canSeeWebhookSubscription(caller: Caller, ownerOrgId: string): boolean {
  return isAdmin(caller) || (caller.orgId !== null && caller.orgId === ownerOrgId);
}

/** Which subscriptions (or their deliveries) a list shows: `ownerOrgId`'s (null: all). */
export interface WebhookListScope {
  ownerOrgId: string | null;
}

/**
 * The subscriptions a caller may list, optionally narrowed to `orgId`'s; null when it may see
 * none (no organization, or another organization's, unless admin).
 */
export function webhookListScope(caller: Caller, orgId?: string | null): WebhookListScope | null {
  if (isAdmin(caller)) return { ownerOrgId: orgId ?? null };
  if (caller.orgId === null || (orgId && orgId !== caller.orgId)) return null;
  return { ownerOrgId: caller.orgId };
}
