import { isAdmin, pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleBookById } from './access.js';
import { createPriceBook, createPriceRule, updatePriceBook } from './commands.js';
import { listPriceBooks, visiblePriceBooksWhere } from './price-book-store.js';
import { priceBooksFilter } from './rules.js';

export const priceBookResolvers: Resolvers = {
  Query: {
    async priceBooks(_, args, ctx) {
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
    priceBook: (_, { id }, ctx) => visibleBookById(ctx, id),
  },
  Mutation: { createPriceBook, updatePriceBook, createPriceRule },
  PriceBook: {
    __resolveReference: (ref, ctx) => visibleBookById(ctx, ref.id),
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
      const rule = await ctx.loaders.priceRule.load(ref.id);
      return rule && (await visibleBookById(ctx, rule.priceBookId)) ? rule : null;
    },
    priceBook: (r, _, ctx) => ctx.loaders.priceBook.loadRequired(r.priceBookId),
    sku: (r) => ({ id: r.skuId }),
  },
};
