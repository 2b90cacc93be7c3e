import { idOf, isAdmin, pageOf, parseInput, toConnection } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createOffering, publishOffering, updateOfferingDraft } from './commands.js';
import { listOfferings, type OfferingRow } from './offering-store.js';
import { sameContent } from './rules.js';

const draftOf = (o: OfferingRow) => ({
  name: o.draftName,
  description: o.draftDescription,
  terms: o.draftTerms,
});

export const offeringResolvers: Resolvers = {
  Query: {
    async offerings(_, args, ctx) {
      const page = pageOf(args);
      const filter = parseInput(
        z.object({
          sellerId: idOf('an organization').nullish(),
          skuId: idOf('a SKU').nullish(),
        }),
        args,
        '',
      );
      const { rows, total } = await listOfferings(ctx.prisma, page, filter);
      return toConnection(rows, page, total);
    },
    offering: (_, { id }, ctx) => ctx.loaders.offering.load(id),
  },
  Mutation: { createOffering, updateOfferingDraft, publishOffering },

  Offering: {
    __resolveReference: (ref, ctx) => ctx.loaders.offering.load(ref.id),
    seller: (o) => ({ id: o.sellerOrgId }),
    sku: (o, _, ctx) => ctx.loaders.sku.loadRequired(o.skuId),
    draft: (o, _, ctx) =>
      isAdmin(ctx.caller) || ctx.caller.orgId === o.sellerOrgId
        ? { ...draftOf(o), updatedAt: o.updatedAt }
        : null,
    hasUnpublishedChanges: async (o, _, ctx) => {
      if (!o.latestVersion) return true;
      const latest = await ctx.loaders.offeringVersionByNumber.load(o.id, o.latestVersion);
      return !sameContent(draftOf(o), latest);
    },
    versions: (o, _, ctx) => ctx.loaders.versionsOfOffering.load(o.id),
    version: (o, { version }, ctx) => ctx.loaders.offeringVersionByNumber.load(o.id, version),
  },

  OfferingVersion: {
    __resolveReference: (ref, ctx) => ctx.loaders.offeringVersion.load(ref.id),
    offering: (v, _, ctx) => ctx.loaders.offering.loadRequired(v.offeringId),
  },
};
