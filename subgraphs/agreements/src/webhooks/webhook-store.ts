import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  DeliveryStatus,
  Prisma,
  WebhookAttempt,
  WebhookDelivery,
  WebhookSubscription,
} from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma } from '../prisma.js';
import type { WebhookListScope } from './rules.js';

export type WebhookSubscriptionRow = WebhookSubscription;
export type WebhookDeliveryRow = WebhookDelivery;
export type WebhookAttemptRow = WebhookAttempt;
/** What creating a subscription or rotating its secret answers: the row, its secret encrypted. */
export interface SecretAnswer {
  subscription: WebhookSubscriptionRow;
}

export function webhookLoaders(prisma: AgreementsPrisma) {
  return {
    webhookSubscription: rowLoader<string, WebhookSubscriptionRow>(
      (ids) => prisma.webhookSubscription.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (s) => s.id,
    ),
    webhookDelivery: rowLoader<string, WebhookDeliveryRow>(
      (ids) => prisma.webhookDelivery.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (d) => d.id,
    ),
    /** a page of deliveries' attempts in one statement */
    webhookAttempts: groupLoader<string, WebhookAttemptRow>(
      (ids) =>
        prisma.webhookAttempt.findMany({
          where: { deliveryId: { in: uuidsOnly(ids) } },
          orderBy: [{ deliveryId: 'asc' }, { number: 'asc' }],
        }),
      (a) => a.deliveryId,
    ),
  };
}

/** A subscription as audit rows and events show it: never its secrets. */
export const publicSubscription = ({
  secret: _secret,
  previousSecret: _previous,
  ...rest
}: WebhookSubscriptionRow) => rest;

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
