import type { z } from 'zod';
import { defineCommand } from '../command.js';
import type { ChannelView } from '../org-views/org-view-store.js';
import type { CatalogTx } from '../prisma.js';
import { entriesOfVersion, latestPublished } from './catalog-version-store.js';
import {
  authorizeChange,
  type Change,
  type ChangeKind,
  type Head,
  writeCatalogVersion,
} from './channel-change.js';
import { listingRefused, versionNotFound } from './errors.js';
import { type CatalogOperation, countedAs } from './metrics.js';
import { channelChangeArgs, publishEntries, rollbackArgs, unlistEntries } from './rules.js';

interface ChangeArgs {
  channelId: string;
  effectiveAt?: Date | null;
  idempotencyKey?: string | null;
}

/**
 * A change of a channel's catalog: refused before any transaction (`authorizeChange`), then
 * the channel's next immutable version, built from its head by `build`, at most once per
 * `idempotencyKey` argument; counted under its name.
 */
function defineCatalogChange<Args extends ChangeArgs>(spec: {
  name: Exclude<CatalogOperation, 'publishOffering'>;
  kind: ChangeKind;
  args: z.ZodType<Args>;
  build(tx: CatalogTx, args: Args, channel: ChannelView, head: Head): Promise<Change>;
}) {
  return defineCommand({
    name: spec.name,
    args: spec.args,
    authorize: (ctx, args) => authorizeChange(ctx, args, spec.kind),
    run: (tx, args, channel, ctx) =>
      writeCatalogVersion(
        tx,
        ctx,
        channel,
        { kind: spec.kind, effectiveAt: args.effectiveAt },
        (head) => spec.build(tx, args, channel, head),
      ),
    key: (args) => args.idempotencyKey,
    ...countedAs(spec.name),
  });
}

/** The previous entries plus these offerings at their latest published version. */
export const publishToChannel = defineCatalogChange({
  name: 'publishToChannel',
  kind: 'PUBLISH',
  args: channelChangeArgs,
  async build(tx, { offeringIds }, channel, head) {
    const [previous, listed] = await Promise.all([
      head.latestVersion ? entriesOfVersion(tx, channel.id, head.latestVersion) : [],
      latestPublished(tx, offeringIds),
    ]);
    return {
      entries: publishEntries(previous, listed),
      changedOfferingIds: offeringIds,
      rolledBackTo: null,
    };
  },
});

/** The previous entries without these offerings (each must be listed). */
export const unlistFromChannel = defineCatalogChange({
  name: 'unlistFromChannel',
  kind: 'UNLIST',
  args: channelChangeArgs,
  async build(tx, { offeringIds }, channel, head) {
    const previous = head.latestVersion
      ? await entriesOfVersion(tx, channel.id, head.latestVersion)
      : [];
    const { entries, missing } = unlistEntries(previous, offeringIds);
    const [first, ...more] = missing.map((offeringId) => ({
      offeringId,
      reason: 'NOT_LISTED' as const,
      message: `it is not listed in version ${head.latestVersion}`,
    }));
    if (first) throw listingRefused(channel, [first, ...more], 'unlisted');
    return { entries, changedOfferingIds: offeringIds, rolledBackTo: null };
  },
});

/** The entries of an older version, copied (history is never rewritten). */
export const rollbackChannelCatalog = defineCatalogChange({
  name: 'rollbackChannelCatalog',
  kind: 'ROLLBACK',
  args: rollbackArgs,
  async build(tx, { toVersion }, channel, head) {
    if (toVersion > head.latestVersion)
      throw versionNotFound(channel, toVersion, head.latestVersion);
    return {
      entries: await entriesOfVersion(tx, channel.id, toVersion),
      changedOfferingIds: [],
      rolledBackTo: toVersion,
    };
  },
});
