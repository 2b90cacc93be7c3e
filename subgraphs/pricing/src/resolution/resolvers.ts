import { forbidden, isUuid, loadExisting, notFound, parseInput } from '@trellis/kit';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { type CandidateBook, explainFor } from './resolve.js';
import {
  type AuthorizedPriceRequest,
  authorizeResolution,
  bookShown,
  MAX_BATCH,
  ownCandidateKeys,
  type ResolvePriceArgs,
  resolvePriceInput,
  resolvePricesInput,
} from './rules.js';
import {
  type CandidateView,
  type CatalogEntryRef,
  type ResolutionView,
  resolutionView,
} from './views.js';

/**
 * Resolves many requests in one batch: one statement for their channels (currency, owner,
 * members), one for every candidate rule. Each request gets its view, or the error that
 * refuses it (unknown channel, or a caller who may not see it: those are not resolved).
 * `field(i)` names the i-th input in errors.
 */
async function resolveEach(
  ctx: Context,
  args: readonly ResolvePriceArgs[],
  field: (i: number, name: string) => string,
): Promise<(ResolutionView | GraphQLError)[]> {
  // a caller resolving its own organization's prices may see them in any channel: their
  // candidates are read alongside the channels, not after them (one round trip less)
  const own = ownCandidateKeys(ctx.caller, args);
  const [views] = await Promise.all([
    loadExisting(ctx.loaders.channelView, [...new Set(args.map((a) => a.channelId))]),
    // its failure reaches the decisions, which load the same keys
    own && ctx.loaders.candidates.loadMany(own),
  ]);
  const channels = new Map(views.map((c) => [c.id, c]));
  const answers: (GraphQLError | AuthorizedPriceRequest)[] = args.map((a, i) => {
    const channel = channels.get(a.channelId);
    if (!channel) return notFound('channel', a.channelId, field(i, 'channelId'));
    const request = authorizeResolution(
      ctx.caller,
      {
        skuId: a.skuId,
        orgId: a.orgId,
        channelId: a.channelId,
        at: a.at ?? ctx.now,
        currency: a.currency ?? channel.currency,
        quantity: a.quantity ?? 1,
      },
      channel,
    );
    return (
      request ??
      forbidden(
        `prices resolved for organization ${a.orgId} are visible only to it, to the owner of a channel it is an active member of (in that channel) and to administrators`,
      )
    );
  });
  const requests = answers.filter((a): a is AuthorizedPriceRequest => !(a instanceof GraphQLError));
  const decisions = await ctx.loaders.priceDecision.loadMany(requests);
  let next = 0;
  return answers.map((answer) => {
    if (answer instanceof GraphQLError) return answer;
    const decision = decisions[next++]!;
    if (decision instanceof Error) throw decision;
    return resolutionView(decision, channels.get(answer.channelId)!.ownerOrgId);
  });
}

/** `resolveEach` for a request that is answered whole or refused whole (its first error). */
async function resolveAll(
  ctx: Context,
  args: readonly ResolvePriceArgs[],
  field: (i: number, name: string) => string,
): Promise<ResolutionView[]> {
  return (await resolveEach(ctx, args, field)).map((view) => {
    if (view instanceof GraphQLError) throw view;
    return view;
  });
}

/** What an entry's `price` field asks: the entry's key and the field's arguments. */
interface EntryPriceArgs {
  entry: CatalogEntryRef;
  orgId: string;
  at?: Date | null;
  quantity?: number | null;
}

/**
 * The `price` fields of every entry the tick asks for (a page of 100) in one `resolveEach`:
 * channels read and decisions made once (the field's `@feature` flag is decided once per
 * request), each entry still answered (or refused) on its own. One per request (`cache:
 * false`: the arguments are objects).
 */
const entryPriceBatches = new WeakMap<Context, DataLoader<EntryPriceArgs, ResolutionView>>();
function entryPrices(ctx: Context): DataLoader<EntryPriceArgs, ResolutionView> {
  let batches = entryPriceBatches.get(ctx);
  if (!batches) {
    batches = new DataLoader<EntryPriceArgs, ResolutionView>(
      async (keys): Promise<(ResolutionView | Error)[]> => {
        // a page's entries share the field's arguments: once those passed with one entry, the
        // next entry's input differs only in its key, which passes where both ids are UUIDs
        // (the schema transforms nothing, so it would answer the input itself)
        const validArguments = new Set<string>();
        const parsed = keys.map(
          ({ entry, orgId, at, quantity }): ResolvePriceArgs | GraphQLError => {
            const input = { skuId: entry.skuId, orgId, channelId: entry.channelId, at, quantity };
            const args = `${orgId} ${at instanceof Date ? at.getTime() : at} ${quantity}`;
            if (validArguments.has(args) && isUuid(entry.skuId) && isUuid(entry.channelId))
              return input;
            try {
              const valid = parseInput(resolvePriceInput, input, '');
              validArguments.add(args);
              return valid;
            } catch (error) {
              return error as GraphQLError;
            }
          },
        );
        const valid = parsed.filter((p): p is ResolvePriceArgs => !(p instanceof GraphQLError));
        const views = await resolveEach(ctx, valid, (_i, name) => name);
        let next = 0;
        return parsed.map((p) => (p instanceof GraphQLError ? p : views[next++]!));
      },
      { cache: false, maxBatchSize: MAX_BATCH },
    );
    entryPriceBatches.set(ctx, batches);
  }
  return batches;
}

const shown = (ctx: Context, view: ResolutionView, book: CandidateBook) =>
  bookShown(ctx.caller, book, view.channelOwnerOrgId);

export const resolutionResolvers: Resolvers = {
  Query: {
    async resolvePrice(_, { input }, ctx) {
      const args = parseInput(resolvePriceInput, input);
      const [view] = await resolveAll(ctx, [args], (_i, name) => `input.${name}`);
      return view!;
    },
    async resolvePrices(_, { inputs }, ctx) {
      const args = parseInput(resolvePricesInput, inputs, 'inputs');
      return resolveAll(ctx, args, (i, name) => `inputs.${i}.${name}`);
    },
  },
  CatalogEntry: {
    // the key carries everything pricing needs: no statement to resolve a reference
    __resolveReference: (ref) => ({ id: ref.id, channelId: ref.channelId, skuId: ref.skuId }),
    price: (entry, { orgId, at, quantity }, ctx) =>
      entryPrices(ctx).load({ entry, orgId, at, quantity }),
  },
  PriceResolution: {
    // the original price of a hidden book is the buyer's negotiated price: not the owner's to see
    originalPrice: (v, _, ctx) => {
      const base = v.decision.originalRule;
      return base && !shown(ctx, v, base.book) ? null : v.decision.originalPrice;
    },
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
    explanation: (v, _, ctx) => {
      const isShown = (book: CandidateBook) => shown(ctx, v, book);
      return explainFor(v.decision, isShown).map(
        (verdict): CandidateView => ({ verdict, shown: isShown(verdict.rule.book) }),
      );
    },
    sku: (v) => ({ id: v.decision.request.skuId }),
    org: (v) => ({ id: v.decision.request.orgId }),
    channel: (v) => ({ id: v.decision.request.channelId }),
  },
  PriceCandidate: {
    rule: (c, _, ctx) => (c.shown ? ctx.loaders.priceRule.loadNow(c.verdict.rule.id) : null),
    priceBook: (c, _, ctx) =>
      c.shown ? ctx.loaders.priceBook.loadNow(c.verdict.rule.book.id) : null,
    scope: (c) => c.verdict.rule.book.scope,
    kind: (c) => c.verdict.rule.kind,
    outcome: (c) => c.verdict.outcome,
    reason: (c) => c.verdict.reason,
    amount: (c) => c.verdict.amount,
  },
};
