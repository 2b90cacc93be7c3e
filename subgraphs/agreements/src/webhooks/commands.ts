import { badInput, notFound, requireActsFor, requireReferences } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import type { AgreementsTx } from '../prisma.js';
import { systemLookup } from './delivery.js';
import {
  canSeeWebhookSubscription,
  createWebhookSubscriptionInput,
  isQueued,
  redeliverWebhookArgs,
  replayWebhooksArgs,
  resolveTarget,
  TargetRefused,
  updateWebhookSubscriptionInput,
  urlProblem,
} from './rules.js';
import { encryptSecret, newSigningSecret, ROTATION_OVERLAP_MS } from './secrets.js';
import { webhookSettings } from './settings.js';
import { publicSubscription, type WebhookSubscriptionRow } from './webhook-store.js';

/**
 * Refuses a target URL (BAD_USER_INPUT on `field`): its syntax and scheme, then every address
 * its host resolves to. A host that does not resolve yet is accepted: each delivery checks again.
 */
async function requireAllowedUrl(url: string, field: string): Promise<void> {
  const settings = webhookSettings();
  const rules = { allowHttp: settings.environment !== 'production', ...settings };
  const problem = urlProblem(url, rules);
  if (problem) throw badInput(field, problem);
  try {
    await resolveTarget(new URL(url).hostname, systemLookup, settings.allowPrivateTargets);
  } catch (error) {
    if (error instanceof TargetRefused) throw badInput(field, error.message);
  }
}

/** The subscription `id` if the caller may manage it: NOT_FOUND when it may not even see it. */
async function manageableSubscription(ctx: Context, id: string, field: string) {
  const subscription = await ctx.loaders.webhookSubscription.load(id);
  if (!subscription || !canSeeWebhookSubscription(ctx.caller, subscription.orgId)) {
    throw notFound('webhook subscription', id, field);
  }
  requireActsFor(ctx.caller, subscription.orgId);
  return subscription;
}

const lockSubscription = (tx: AgreementsTx, id: string) =>
  tx.$queryRawUnsafe(
    'SELECT 1 FROM "agreements"."webhook_subscription" WHERE id = $1::uuid FOR UPDATE',
    id,
  );

const subscriptionEvent = (type: string, s: WebhookSubscriptionRow) => ({
  type,
  aggregateType: 'WebhookSubscription',
  aggregateId: s.id,
  orgId: s.orgId,
  payload: { v: 1, ...publicSubscription(s) },
});

export const createWebhookSubscription = defineCommand({
  name: 'createWebhookSubscription',
  args: z.object({ input: createWebhookSubscriptionInput }),
  async authorize(ctx, { input }) {
    requireActsFor(ctx.caller, input.orgId);
    await requireAllowedUrl(input.url, 'input.url');
  },
  async run(tx, { input }) {
    await requireReferences(tx, [
      {
        view: 'org_graph.organization_v1',
        id: input.orgId,
        what: 'organization',
        field: 'input.orgId',
      },
    ]);
    // the answer holds the secret encrypted (so does the idempotency record): the payload's
    // `secret` field decrypts it
    const subscription = await tx.webhookSubscription.create({
      data: {
        orgId: input.orgId,
        url: input.url,
        eventTypes: input.eventTypes,
        description: input.description ?? null,
        secret: encryptSecret(newSigningSecret(), webhookSettings().secretKey),
      },
    });
    return {
      result: { subscription },
      audit: {
        action: 'webhook_subscription.create',
        objectType: 'WebhookSubscription',
        objectId: subscription.id,
        after: publicSubscription(subscription),
      },
      events: [subscriptionEvent('webhook_subscription.created', subscription)],
    };
  },
});

export const updateWebhookSubscription = defineCommand({
  name: 'updateWebhookSubscription',
  args: z.object({ id: z.string(), input: updateWebhookSubscriptionInput }),
  async authorize(ctx, { id, input }) {
    await manageableSubscription(ctx, id, 'id');
    if (input.url !== undefined) await requireAllowedUrl(input.url, 'input.url');
    ctx.loaders.webhookSubscription.clear(id);
  },
  async run(tx, { id, input }) {
    await lockSubscription(tx, id);
    const before = await tx.webhookSubscription.findUniqueOrThrow({ where: { id } });
    const after = await tx.webhookSubscription.update({
      where: { id },
      data: {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        // turned on again by its owner: the dispatcher's reason and count start over
        ...(input.active ? { disabledReason: null, consecutiveDead: 0 } : {}),
      },
    });
    return {
      result: after,
      audit: {
        action: 'webhook_subscription.update',
        objectType: 'WebhookSubscription',
        objectId: id,
        before: publicSubscription(before),
        after: publicSubscription(after),
      },
      events: [subscriptionEvent('webhook_subscription.updated', after)],
    };
  },
});

export const rotateWebhookSecret = defineCommand({
  name: 'rotateWebhookSecret',
  args: z.object({ id: z.string() }),
  key: () => undefined,
  async authorize(ctx, { id }) {
    await manageableSubscription(ctx, id, 'id');
    ctx.loaders.webhookSubscription.clear(id);
  },
  async run(tx, { id }, _loaded, ctx) {
    await lockSubscription(tx, id);
    const before = await tx.webhookSubscription.findUniqueOrThrow({ where: { id } });
    const subscription = await tx.webhookSubscription.update({
      where: { id },
      data: {
        secret: encryptSecret(newSigningSecret(), webhookSettings().secretKey),
        previousSecret: before.secret,
        previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS),
      },
    });
    ctx.logger.info({ subscriptionId: id }, 'webhook secret rotated');
    return {
      result: { subscription },
      audit: {
        action: 'webhook_subscription.rotate_secret',
        objectType: 'WebhookSubscription',
        objectId: id,
        after: { previousSecretUntil: subscription.previousSecretUntil },
      },
    };
  },
});

/** Back in the queue: due now, no lease. */
const requeued = {
  status: 'PENDING',
  nextAttemptAt: new Date(),
  leaseId: null,
  leaseUntil: null,
} as const;

export const redeliverWebhook = defineCommand({
  name: 'redeliverWebhook',
  args: redeliverWebhookArgs,
  key: () => undefined,
  async authorize(ctx, { deliveryId }) {
    const delivery = await ctx.loaders.webhookDelivery.load(deliveryId);
    if (!delivery) throw notFound('webhook delivery', deliveryId, 'deliveryId');
    await manageableSubscription(ctx, delivery.subscriptionId, 'deliveryId');
    ctx.loaders.webhookDelivery.clear(deliveryId);
  },
  async run(tx, { deliveryId }) {
    await tx.$queryRawUnsafe(
      'SELECT 1 FROM "agreements"."webhook_delivery" WHERE id = $1::uuid FOR UPDATE',
      deliveryId,
    );
    const before = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    // already waiting for its attempt: asking again changes nothing
    if (isQueued(before.status)) return { result: before, unchanged: true };
    const after = await tx.webhookDelivery.update({ where: { id: deliveryId }, data: requeued });
    return {
      result: after,
      audit: {
        action: 'webhook_delivery.redeliver',
        objectType: 'WebhookDelivery',
        objectId: deliveryId,
        before: { status: before.status, attempts: before.attempts },
        after: { status: after.status, attempts: after.attempts },
      },
    };
  },
});

export const replayWebhooks = defineCommand({
  name: 'replayWebhooks',
  args: replayWebhooksArgs,
  key: () => undefined,
  async authorize(ctx, { subscriptionId }) {
    await manageableSubscription(ctx, subscriptionId, 'subscriptionId');
  },
  async run(tx, { subscriptionId, from, to, status }) {
    const { count } = await tx.webhookDelivery.updateMany({
      where: {
        subscriptionId,
        status: status ? { equals: status, not: 'PENDING' } : { not: 'PENDING' },
        event: { occurredAt: { gte: from, lt: to } },
      },
      data: requeued,
    });
    if (count === 0) return { result: { queued: 0 }, unchanged: true };
    return {
      result: { queued: count },
      audit: {
        action: 'webhook_delivery.replay',
        objectType: 'WebhookSubscription',
        objectId: subscriptionId,
        after: { from, to, status: status ?? null, queued: count },
      },
    };
  },
});
