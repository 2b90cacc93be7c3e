import {
  badInput,
  type PageArgs,
  pageOf,
  type SelectedField,
  selectedField,
  selectedFields,
  toConnection,
} from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { publishToChannel, rollbackChannelCatalog, unlistFromChannel } from './commands.js';

/**
 * The page of entries a `CatalogVersion.entries` field asks for, and whether it reads their
 * mutable neighbours (offering, SKU, product, manufacturer). Null when it asks for none.
 */
function entriesAsked(args: PageArgs, info: SelectedField['info']) {
  const page = pageOf(args);
  if (page.take === 0 && !page.afterId) return null;
  const node = selectedFields(info, ['edges', 'node']);
  return { ...page, graph: node.has('offering') || node.has('sku') };
}

/** What `catalog`'s `entries` will ask for, read ahead; null when it cannot be told (or is bad). */
function entriesAhead(info: Parameters<typeof selectedField>[0]) {
  const entries = selectedField(info, 'entries');
  if (!entries) return null;
  try {
    return entriesAsked(entries.args as PageArgs, entries.info);
  } catch {
    // a bad page is refused where `entries` resolves, with its path
    return null;
  }
}

export const catalogResolvers: Resolvers = {
  Mutation: { publishToChannel, unlistFromChannel, rollbackChannelCatalog },

  Channel: {
    // org-graph owns channels; catalog answers its fields for any channel id
    __resolveReference: (ref) => ({ id: ref.id }),
    catalogVersions: (channel, _, ctx) => ctx.loaders.catalogVersionsOf.load(channel.id),
    catalog: async (channel, { at, version }, ctx, info) => {
      if (at != null && version != null)
        throw badInput('version', 'give either at or version, not both');
      if (version != null && version < 1) return null;
      const selector = { channelId: channel.id, at, version };
      // the version and the page its entries read come in one statement
      const page = entriesAhead(info);
      return page
        ? ctx.loaders.catalogWithPage.load({ ...selector, ...page })
        : ctx.loaders.catalogOf.load(selector);
    },
  },

  CatalogVersion: {
    channel: (v) => ({ id: v.channelId }),
    changedOfferingIds: (v) => v.changedOfferingIds ?? [],
    publishedBy: (v) => (v.publishedByOrgId ? { id: v.publishedByOrgId } : null),
    entries: async (v, args, ctx, info) => {
      const page = pageOf(args);
      const asked = entriesAsked(args, info);
      const rows = asked
        ? await ctx.loaders.entryPage.load({
            catalogVersionId: v.id,
            channelId: v.channelId,
            version: v.version,
            ...asked,
          })
        : [];
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
