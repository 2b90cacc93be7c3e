import { notFound, pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import {
  createWebhookSubscription,
  redeliverWebhook,
  replayWebhooks,
  rotateWebhookSecret,
  updateWebhookSubscription,
} from './commands.js';
import {
  canSeeWebhookSubscription,
  webhookDeliveriesArgs,
  webhookListScope,
  webhookSubscriptionsArgs,
} from './rules.js';
import { decryptSecret } from './secrets.js';
import { webhookSettings } from './settings.js';
import {
  listWebhookDeliveries,
  listWebhookSubscriptions,
  type SecretAnswer,
} from './webhook-store.js';

/** The secret a creation or rotation answers, decrypted for this answer only. */
const secretOf = ({ subscription }: SecretAnswer) =>
  decryptSecret(subscription.secret, webhookSettings().secretKey);

/** The subscription, or null when it does not exist or the caller does not own it. */
async function visibleSubscription(ctx: Context, id: string) {
  const subscription = await ctx.loaders.webhookSubscription.load(id);
  return subscription && canSeeWebhookSubscription(ctx.caller, subscription.orgId)
    ? subscription
    : null;
}

export const webhookResolvers: Resolvers = {
  Mutation: {
    createWebhookSubscription,
    updateWebhookSubscription,
    rotateWebhookSecret,
    redeliverWebhook,
    replayWebhooks,
  },
  CreateWebhookSubscriptionPayload: { secret: secretOf },
  RotateWebhookSecretPayload: { secret: secretOf },
  Query: {
    async webhookSubscriptions(_, args, ctx) {
      const page = pageOf(args);
      const { orgId } = parseInput(webhookSubscriptionsArgs, { orgId: args.orgId }, '');
      const scope = webhookListScope(ctx.caller, orgId);
      if (!scope) return toConnection([], page, 0);
      const { rows, total } = await listWebhookSubscriptions(ctx.prisma, page, scope);
      return toConnection(rows, page, total);
    },
    webhookSubscription: (_, { id }, ctx) => visibleSubscription(ctx, id),
    async webhookDeliveries(_, args, ctx) {
      const page = pageOf(args);
      const { subscriptionId } = parseInput(
        webhookDeliveriesArgs,
        { subscriptionId: args.subscriptionId },
        '',
      );
      // someone else's subscription answers exactly like a missing one
      const subscription = await visibleSubscription(ctx, subscriptionId);
      const scope = webhookListScope(ctx.caller);
      if (!subscription || !scope) {
        throw notFound('webhook subscription', subscriptionId, 'subscriptionId');
      }
      const { rows, total } = await listWebhookDeliveries(
        ctx.prisma,
        page,
        scope,
        subscription.id,
        args.status,
      );
      return toConnection(rows, page, total);
    },
  },
  WebhookSubscription: {
    __resolveReference: (ref, ctx) => visibleSubscription(ctx, ref.id),
    org: (s) => ({ id: s.orgId }),
  },
  WebhookDelivery: {
    attemptLog: (d, _, ctx) => ctx.loaders.webhookAttempts.load(d.id),
    subscription: (d, _, ctx) => ctx.loaders.webhookSubscription.loadRequired(d.subscriptionId),
  },
};
