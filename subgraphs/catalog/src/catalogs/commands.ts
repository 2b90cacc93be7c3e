import { defineCommand } from '../command.js';
import { entriesOfVersion, latestPublished } from './catalog-version-store.js';
import { authorizeChange, requireListable, writeCatalogVersion } from './channel-change.js';
import { listingRefused, versionNotFound } from './errors.js';
import { countedAs } from './metrics.js';
import { channelChangeArgs, publishEntries, rollbackArgs, unlistEntries } from './rules.js';

// The changes of a channel's catalog: each creates the channel's next immutable version
// (channel-change.ts), at most once per idempotency key (the `idempotencyKey` argument).

const key = <Args extends { idempotencyKey?: string | null }>(args: Args) => args.idempotencyKey;

export const publishToChannel = defineCommand({
  name: 'publishToChannel',
  args: channelChangeArgs,
  async authorize(ctx, args) {
    const target = await authorizeChange(ctx, args, 'publish');
    await requireListable(ctx, target);
    return target;
  },
  run: (tx, args, { channel }, ctx) =>
    writeCatalogVersion(
      tx,
      ctx,
      channel,
      { kind: 'PUBLISH', effectiveAt: args.effectiveAt },
      async (head) => {
        const [previous, listed] = await Promise.all([
          head.latestVersion ? entriesOfVersion(tx, channel.id, head.latestVersion) : [],
          latestPublished(tx, args.offeringIds),
        ]);
        return {
          entries: publishEntries(previous, listed),
          changedOfferingIds: args.offeringIds,
          rolledBackTo: null,
        };
      },
    ),
  key,
  ...countedAs('publishToChannel'),
});

export const unlistFromChannel = defineCommand({
  name: 'unlistFromChannel',
  args: channelChangeArgs,
  authorize: (ctx, args) => authorizeChange(ctx, args, 'unlist'),
  run: (tx, args, { channel }, ctx) =>
    writeCatalogVersion(
      tx,
      ctx,
      channel,
      { kind: 'UNLIST', effectiveAt: args.effectiveAt },
      async (head) => {
        const previous = head.latestVersion
          ? await entriesOfVersion(tx, channel.id, head.latestVersion)
          : [];
        const { entries, missing } = unlistEntries(previous, args.offeringIds);
        const [first, ...more] = missing.map((offeringId) => ({
          offeringId,
          reason: 'NOT_LISTED' as const,
          message: `it is not listed in version ${head.latestVersion}`,
        }));
        if (first) throw listingRefused(channel, [first, ...more], 'unlisted');
        return { entries, changedOfferingIds: args.offeringIds, rolledBackTo: null };
      },
    ),
  key,
  ...countedAs('unlistFromChannel'),
});

export const rollbackChannelCatalog = defineCommand({
  name: 'rollbackChannelCatalog',
  args: rollbackArgs,
  authorize: (ctx, args) => authorizeChange(ctx, args, 'roll back'),
  run: (tx, args, { channel }, ctx) =>
    writeCatalogVersion(
      tx,
      ctx,
      channel,
      { kind: 'ROLLBACK', effectiveAt: args.effectiveAt },
      async (head) => {
        if (args.toVersion > head.latestVersion)
          throw versionNotFound(channel, args.toVersion, head.latestVersion);
        return {
          entries: await entriesOfVersion(tx, channel.id, args.toVersion),
          changedOfferingIds: [],
          rolledBackTo: args.toVersion,
        };
      },
    ),
  key,
  ...countedAs('rollbackChannelCatalog'),
});
