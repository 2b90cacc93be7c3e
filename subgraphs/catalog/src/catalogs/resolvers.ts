import { badInput, pageOf, selectedFields, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { publishToChannel, rollbackChannelCatalog, unlistFromChannel } from './commands.js';

export const catalogResolvers: Resolvers = {
  Mutation: { publishToChannel, unlistFromChannel, rollbackChannelCatalog },

  Channel: {
    // org-graph owns channels; catalog answers its fields for any channel id
    __resolveReference: (ref) => ({ id: ref.id }),
    catalogVersions: (channel, _, ctx) => ctx.loaders.catalogVersionsOf.load(channel.id),
    catalog: async (channel, { at, version }, ctx) => {
      if (at != null && version != null)
        throw badInput('version', 'give either at or version, not both');
      if (version != null && version < 1) return null;
      return ctx.loaders.catalogOf.load({ channelId: channel.id, at, version });
    },
  },

  CatalogVersion: {
    channel: (v) => ({ id: v.channelId }),
    changedOfferingIds: (v) => v.changedOfferingIds ?? [],
    publishedBy: (v) => (v.publishedByOrgId ? { id: v.publishedByOrgId } : null),
    entries: async (v, args, ctx, info) => {
      const page = pageOf(args);
      const node = selectedFields(info, ['edges', 'node']);
      const rows =
        page.take === 0 && !page.afterId
          ? []
          : await ctx.loaders.entryPage.load({
              catalogVersionId: v.id,
              channelId: v.channelId,
              version: v.version,
              take: page.take,
              afterId: page.afterId,
              graph: node.has('offering') || node.has('sku'),
            });
      return toConnection(rows, page, v.entryCount);
    },
  },

  CatalogEntry: {
    __resolveReference: (ref, ctx) => ctx.loaders.catalogEntry.load(ref.id),
    catalogVersion: (e) => e.version,
    channel: (e) => ({ id: e.channelId }),
    // held since the entry's page was read: answered without a promise
    offering: (e, _, ctx) => ctx.loaders.offering.loadRequired(e.offeringId),
    offeringVersion: (e, _, ctx) => ctx.loaders.offeringVersion.loadRequired(e.offeringVersionId),
    sku: (e, _, ctx) => ctx.loaders.sku.loadRequired(e.skuId),
    seller: (e) => ({ id: e.sellerOrgId }),
  },
};
