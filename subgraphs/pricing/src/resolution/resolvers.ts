import { forbidden, loadExisting, notFound, parseInput } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { CandidateView, ResolutionView } from './data.js';
import type { CandidateBook, PriceRequest } from './resolve.js';
import {
  bookShown,
  canSeeResolution,
  type ResolvePriceArgs,
  resolvePriceInput,
  resolvePricesInput,
} from './rules.js';

/** The request's flags decide once, however many entries ask (a page of 100 prices). */
const resolutionEnabled = (ctx: Context): Promise<void> =>
  ctx.flags.require('ENABLE_PRICE_RESOLUTION', ctx.caller.orgId);

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Resolves many requests in one batch: one statement for their channels (currency, owner), one
 * for every candidate rule. Refuses the whole batch when the caller may not see one of them.
 * `field(i)` names the i-th input in errors.
 */
async function resolveAll(
  ctx: Context,
  args: readonly ResolvePriceArgs[],
  field: (i: number, name: string) => string,
): Promise<ResolutionView[]> {
  const channels = new Map(
    (await loadExisting(ctx.loaders.channelView, [...new Set(args.map((a) => a.channelId))])).map(
      (c) => [c.id, c],
    ),
  );
  const owners: (string | null)[] = [];
  const requests: PriceRequest[] = args.map((a, i) => {
    const channel = channels.get(a.channelId);
    if (!channel) throw notFound('channel', a.channelId, field(i, 'channelId'));
    if (!canSeeResolution(ctx.caller, { orgId: a.orgId, channelOwnerOrgId: channel.ownerOrgId }))
      throw forbidden(
        `prices resolved for organization ${a.orgId} are visible only to it, the owner of channel ${a.channelId} and administrators`,
      );
    owners.push(channel.ownerOrgId);
    return {
      skuId: a.skuId,
      orgId: a.orgId,
      channelId: a.channelId,
      at: a.at ?? ctx.now,
      currency: a.currency ?? channel.currency,
      quantity: a.quantity ?? 1,
    };
  });
  const decisions = await ctx.loaders.priceDecision.loadMany(requests);
  return decisions.map((decision, i) => {
    if (decision instanceof Error) throw decision;
    return { decision, channelOwnerOrgId: owners[i] ?? null };
  });
}

const shown = (ctx: Context, view: ResolutionView, book: CandidateBook) =>
  bookShown(ctx.caller, book, view.channelOwnerOrgId);

export const resolutionResolvers: Resolvers = {
  Query: {
    async resolvePrice(_, { input }, ctx) {
      await resolutionEnabled(ctx);
      const args = parseInput(resolvePriceInput, input);
      const [view] = await resolveAll(ctx, [args], (_i, name) => `input.${name}`);
      return view!;
    },
    async resolvePrices(_, { inputs }, ctx) {
      await resolutionEnabled(ctx);
      const args = parseInput(resolvePricesInput, inputs, 'inputs');
      return resolveAll(ctx, args, (i, name) => `inputs.${i}.${name}`);
    },
  },
  CatalogEntry: {
    // the key carries everything pricing needs: no statement to resolve a reference
    __resolveReference: (ref) => ({ id: ref.id, channelId: ref.channelId, skuId: ref.skuId }),
    async price(entry, { orgId, at, quantity }, ctx) {
      await resolutionEnabled(ctx);
      const args = parseInput(
        resolvePriceInput,
        { skuId: entry.skuId, orgId, channelId: entry.channelId, at, quantity },
        '',
      );
      const [view] = await resolveAll(ctx, [args], (_i, name) => name);
      return view!;
    },
  },
  PriceResolution: {
    reason: (v) => v.decision.reason,
    price: (v) => v.decision.price,
    originalPrice: (v) => v.decision.originalPrice,
    scope: (v) => v.decision.scope,
    // rules and books are held since their decision was made: answered without a promise
    priceBook: (v, _, ctx) => {
      const rule = v.decision.rule;
      if (!rule || !shown(ctx, v, rule.book)) return null;
      return ctx.loaders.priceBook.loadNow(rule.book.id);
    },
    rule: (v, _, ctx) => {
      const rule = v.decision.rule;
      if (!rule || !shown(ctx, v, rule.book)) return null;
      return ctx.loaders.priceRule.loadNow(rule.id);
    },
    taxIncluded: (v) => v.decision.taxIncluded,
    taxCategory: (v) => v.decision.taxCategory,
    explanation: (v, _, ctx) =>
      v.decision.explanation.map(
        (verdict): CandidateView => ({ verdict, shown: shown(ctx, v, verdict.rule.book) }),
      ),
    sku: (v) => ({ id: v.decision.request.skuId }),
    org: (v) => ({ id: v.decision.request.orgId }),
    channel: (v) => ({ id: v.decision.request.channelId }),
    at: (v) => v.decision.request.at,
    quantity: (v) => v.decision.request.quantity,
    currency: (v) => v.decision.request.currency,
  },
  PriceCandidate: {
    rule: (c, _, ctx) => (c.shown ? ctx.loaders.priceRule.loadNow(c.verdict.rule.id) : null),
    priceBook: (c, _, ctx) =>
      c.shown ? ctx.loaders.priceBook.loadNow(c.verdict.rule.book.id) : null,
    scope: (c) => c.verdict.rule.book.scope,
    kind: (c) => c.verdict.rule.kind,
    outcome: (c) => c.verdict.outcome,
    // a hidden line names no rule, not even in its reason
    reason: (c) => (c.shown ? c.verdict.reason : c.verdict.reason.replace(UUID_IN_TEXT, 'a rule')),
    amount: (c) => c.verdict.amount,
  },
};
