import { detailOf, idOf, isAdmin, pageOf, parseInput, toConnection } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { createOffering, publishOffering, updateOfferingDraft } from './commands.js';
import { type ListedOffering, listOfferings } from './offering-store.js';
import { sameContent } from './rules.js';

/** The offering's draft, its details read when the row came without them (a catalog page). */
async function draftOf(o: ListedOffering, ctx: Context) {
  const details = ctx.loaders.offeringDetails;
  const [description, terms, updatedAt] = await Promise.all([
    detailOf(o, 'draftDescription', details),
    detailOf(o, 'draftTerms', details),
    detailOf(o, 'updatedAt', details),
  ]);
  return { name: o.draftName, description, terms, updatedAt };
}

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
    draft: async (o, _, ctx) =>
      isAdmin(ctx.caller) || ctx.caller.orgId === o.sellerOrgId ? draftOf(o, ctx) : null,
    hasUnpublishedChanges: async (o, _, ctx) => {
      if (!o.latestVersion) return true;
      const [draft, latest] = await Promise.all([
        draftOf(o, ctx),
        ctx.loaders.offeringVersionByNumber.load(o.id, o.latestVersion),
      ]);
      return !sameContent(draft, latest);
    },
    createdAt: (o, _, ctx) => detailOf(o, 'createdAt', ctx.loaders.offeringDetails),
    updatedAt: (o, _, ctx) => detailOf(o, 'updatedAt', ctx.loaders.offeringDetails),
    versions: (o, _, ctx) => ctx.loaders.versionsOfOffering.load(o.id),
    version: (o, { version }, ctx) => ctx.loaders.offeringVersionByNumber.load(o.id, version),
  },

  OfferingVersion: {
    __resolveReference: (ref, ctx) => ctx.loaders.offeringVersion.load(ref.id),
    offering: (v, _, ctx) => ctx.loaders.offering.loadRequired(v.offeringId),
    description: (v, _, ctx) => detailOf(v, 'description', ctx.loaders.offeringVersionDetails),
    terms: (v, _, ctx) => detailOf(v, 'terms', ctx.loaders.offeringVersionDetails),
    publishedAt: (v, _, ctx) => detailOf(v, 'publishedAt', ctx.loaders.offeringVersionDetails),
  },
};
