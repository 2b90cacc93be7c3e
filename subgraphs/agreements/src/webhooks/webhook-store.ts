import { type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  DeliveryStatus,
  Prisma,
  WebhookDelivery,
  WebhookSubscription,
} from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma } from '../prisma.js';
import type { WebhookListScope } from './rules.js';

export type WebhookSubscriptionRow = WebhookSubscription;
export type WebhookDeliveryRow = WebhookDelivery;

export function webhookLoaders(prisma: AgreementsPrisma) {
  return {
    webhookSubscription: rowLoader<string, WebhookSubscriptionRow>(
      (ids) => prisma.webhookSubscription.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (s) => s.id,
    ),
  };
}

export function subscriptionWhere(scope: WebhookListScope): Prisma.WebhookSubscriptionWhereInput {
  return scope.ownerOrgId ? { orgId: scope.ownerOrgId } : {};
}

export async function listWebhookSubscriptions(
  prisma: AgreementsPrisma,
  page: Page,
  scope: WebhookListScope,
) {
  const where = subscriptionWhere(scope);
  const [rows, total] = await Promise.all([
    prisma.webhookSubscription.findMany(pageQuery(page, where)),
    prisma.webhookSubscription.count({ where }),
  ]);
  return { rows, total };
}

/** The SQL filter of a subscription's deliveries, kept to the subscriptions of the scope. */
export function deliveryWhere(
  scope: WebhookListScope,
  subscriptionId: string,
  status?: DeliveryStatus | null,
): Prisma.WebhookDeliveryWhereInput {
  return {
    subscriptionId,
    ...(status ? { status } : {}),
    ...(scope.ownerOrgId ? { subscription: { orgId: scope.ownerOrgId } } : {}),
  };
}

export async function listWebhookDeliveries(
  prisma: AgreementsPrisma,
  page: Page,
  scope: WebhookListScope,
  subscriptionId: string,
  status?: DeliveryStatus | null,
) {
  const where = deliveryWhere(scope, subscriptionId, status);
  const [rows, total] = await Promise.all([
    prisma.webhookDelivery.findMany(pageQuery(page, where)),
    prisma.webhookDelivery.count({ where }),
  ]);
  return { rows, total };
}
