import { isAdmin, pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { listPriceBooks, type PriceBookRow, visiblePriceBooksWhere } from './data.js';
import { canSeePriceBook, needsChannelOwner, priceBooksFilter } from './rules.js';

const priceBooksEnabled = (ctx: Context) =>
  ctx.flags.require('ENABLE_PRICE_BOOKS', ctx.caller.orgId);

/** The book if the caller may see it, else null (the channel owner is looked up only if it matters). */
async function visibleBook(ctx: Context, book: PriceBookRow | null): Promise<PriceBookRow | null> {
  if (!book) return null;
  if (canSeePriceBook(ctx.caller, book)) return book;
  if (!book.channelId || !needsChannelOwner(ctx.caller, book)) return null;
  const channel = await ctx.loaders.channelView.load(book.channelId);
  return canSeePriceBook(ctx.caller, { ...book, channelOwnerOrgId: channel?.ownerOrgId ?? null })
    ? book
    : null;
}

async function visibleBookById(ctx: Context, id: string) {
  return visibleBook(ctx, await ctx.loaders.priceBook.load(id));
}

export const priceBookResolvers: Resolvers = {
  Query: {
    async priceBooks(_, args, ctx) {
      await priceBooksEnabled(ctx);
      const page = pageOf(args);
      const filter = parseInput(priceBooksFilter, args, '');
      const { caller } = ctx;
      // ORG_CHANNEL books of the channels the caller's organization owns are visible to it
      const owned =
        caller.orgId && !isAdmin(caller)
          ? await ctx.loaders.channelsOwnedBy.load(caller.orgId)
          : [];
      const visible = visiblePriceBooksWhere(
        caller,
        owned.map((c) => c.id),
      );
      const { rows, total } = await listPriceBooks(ctx.prisma, page, filter, visible);
      for (const row of rows) ctx.loaders.priceBook.prime(row.id, row);
      return toConnection(rows, page, total);
    },
    async priceBook(_, { id }, ctx) {
      await priceBooksEnabled(ctx);
      return visibleBookById(ctx, id);
    },
  },
  PriceBook: {
    __resolveReference: async (ref, ctx) => {
      await priceBooksEnabled(ctx);
      return visibleBookById(ctx, ref.id);
    },
    org: (b) => (b.orgId ? { id: b.orgId } : null),
    channel: (b) => (b.channelId ? { id: b.channelId } : null),
    rules: async (b, args, ctx) => {
      const page = pageOf(args);
      const { rows, total } = await ctx.loaders.rulePage.load({ priceBookId: b.id, page });
      return toConnection(rows, page, total);
    },
  },
  PriceRule: {
    __resolveReference: async (ref, ctx) => {
      await priceBooksEnabled(ctx);
      const rule = await ctx.loaders.priceRule.load(ref.id);
      return rule && (await visibleBookById(ctx, rule.priceBookId)) ? rule : null;
    },
    priceBook: async (r, _, ctx) => (await ctx.loaders.priceBook.load(r.priceBookId))!,
    sku: (r) => ({ id: r.skuId }),
  },
};
