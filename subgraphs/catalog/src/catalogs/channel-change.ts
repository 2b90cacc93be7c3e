import { forbidden, requireReferences, type Written } from '@trellis/kit';
import type { Context } from '../context.js';
import type { OfferingRow } from '../offerings/offering-store.js';
import type { ChannelView } from '../org-views/org-view-store.js';
import type { CatalogTx } from '../prisma.js';
import {
  type CatalogVersionRow,
  insertCatalogVersion,
  lockHead,
  type NewCatalogVersion,
} from './catalog-version-store.js';
import {
  channelInactive,
  channelNotFound,
  effectiveAtPassed,
  listingRefused,
  offeringsNotFound,
  scheduleConflicts,
} from './errors.js';
import {
  type EntrySeed,
  effectiveAtInPast,
  effectiveAtOf,
  foreignOfferings,
  listingProblem,
  publisherRole,
  scheduleConflict,
} from './rules.js';

// What the three changes of a channel's catalog (publish, unlist, roll back) share: who may
// make one, read and refused before any transaction, and the one path to a new version.

export type ChangeKind = NewCatalogVersion['kind'];

/** How a refusal names each kind of change. */
const VERB: Record<ChangeKind, string> = {
  PUBLISH: 'publish',
  UNLIST: 'unlist',
  ROLLBACK: 'roll back',
};

async function offeringsOrFail(ctx: Context, ids: readonly string[]): Promise<OfferingRow[]> {
  const rows = await ctx.loaders.offering.loadMany(ids);
  const missing = ids.filter((_, i) => {
    const row = rows[i];
    if (row instanceof Error) throw row;
    return !row;
  });
  const [first, ...more] = missing;
  if (first) throw offeringsNotFound([first, ...more]);
  return rows as OfferingRow[];
}

/**
 * catalog:publish (the field's @scope), then: administrators and the channel's owner may
 * change anything; any other organization may list and unlist only its own offerings (whether
 * it may sell in the channel is then checked like everyone's). Rollback is the owner's.
 */
function requireMayChange(
  ctx: Context,
  channel: ChannelView,
  offerings: OfferingRow[] | null,
  verb: string,
) {
  const role = publisherRole(ctx.caller, channel);
  if (!role) throw forbidden('changing a channel catalog needs an organization (or admin)');
  if (role !== 'seller') return;
  if (!offerings)
    throw forbidden(`only the channel's owner (or admin) may ${verb} channel ${channel.code}`);
  const foreign = foreignOfferings(ctx.caller, offerings);
  if (foreign.length)
    throw forbidden(
      `in a channel you do not own you may ${verb} only your own organization's offerings; offering ${foreign[0]} is another seller's`,
    );
}

/**
 * Everything a change is refused for before its transaction, in this order: an effectiveAt
 * in the past, an unknown channel, unknown offerings, a caller who may not change it, an
 * inactive channel, and for a publish the offerings that may not be listed. Answers the
 * channel.
 */
export async function authorizeChange(
  ctx: Context,
  args: { channelId: string; effectiveAt?: Date | null; offeringIds?: readonly string[] },
  kind: ChangeKind,
): Promise<ChannelView> {
  if (effectiveAtInPast(args.effectiveAt, new Date())) throw effectiveAtPassed(args.effectiveAt!);
  const channel = await ctx.loaders.channelView.load(args.channelId);
  if (!channel) throw channelNotFound(args.channelId);
  const offerings = args.offeringIds ? await offeringsOrFail(ctx, args.offeringIds) : null;
  requireMayChange(ctx, channel, offerings, VERB[kind]);
  if (channel.status !== 'ACTIVE') throw channelInactive(channel);
  if (kind === 'PUBLISH') await requireListable(ctx, channel, offerings ?? []);
  return channel;
}

/** Refuses the offerings that may not be listed in the channel: all problems at once. */
async function requireListable(ctx: Context, channel: ChannelView, offerings: OfferingRow[]) {
  const [skus, sellers, related] = await Promise.all([
    ctx.loaders.sku.loadMany(offerings.map((o) => o.skuId)),
    ctx.loaders.organizationView.loadMany(offerings.map((o) => o.sellerOrgId)),
    ctx.loaders.relatedOrgs.load(channel.ownerOrgId),
  ]);
  const ok = <T>(v: T | Error | null | undefined): T | null => {
    if (v instanceof Error) throw v;
    return v ?? null;
  };
  const products = await ctx.loaders.product.loadMany(
    skus.map((s) => ok(s)?.productId ?? '00000000-0000-0000-0000-000000000000'),
  );
  const relatedToOwner = new Set(related.map((r) => r.relatedOrgId));
  const problems = offerings.flatMap((o, i) => {
    const problem = listingProblem(
      {
        id: o.id,
        sellerOrgId: o.sellerOrgId,
        latestVersion: o.latestVersion,
        sku: ok(skus[i]),
        product: ok(products[i]),
        seller: ok(sellers[i]),
      },
      channel,
      relatedToOwner,
    );
    return problem ? [problem] : [];
  });
  const [first, ...more] = problems;
  if (first) throw listingRefused(channel, [first, ...more], 'listed');
}

/** The channel's catalog head, as a change builds on it. */
export interface Head {
  latestVersion: number;
}

/** What a change makes of the head's entries. */
export interface Change {
  entries: EntrySeed[];
  changedOfferingIds: string[];
  rolledBackTo: number | null;
}

/**
 * The one path to a new catalog version, inside the command's transaction: lock the channel's
 * head (concurrent changes take turns, each building on the one before), build the entries,
 * write the version and its entries; its audit row and events go with it. PUBLISH and UNLIST
 * may not bring a scheduled version forward (`scheduleConflict`); a rollback may.
 */
export async function writeCatalogVersion(
  tx: CatalogTx,
  ctx: Context,
  channel: ChannelView,
  asked: { kind: ChangeKind; effectiveAt?: Date | null },
  build: (head: Head) => Promise<Change>,
): Promise<Written<CatalogVersionRow>> {
  const { kind } = asked;
  await requireReferences(tx, [
    { view: 'org_graph.channel_v1', id: channel.id, what: 'channel', field: 'channelId' },
  ]);
  const head = await lockHead(tx, channel.id);
  const effectiveAt = effectiveAtOf(asked.effectiveAt, head.now);
  if (kind !== 'ROLLBACK') {
    const conflict = scheduleConflict(head, effectiveAt);
    if (conflict) throw scheduleConflicts(conflict, head);
  }
  const change = await build(head);
  const version = head.latestVersion + 1;
  const row = await insertCatalogVersion(tx, {
    channelId: channel.id,
    version,
    kind,
    rolledBackTo: change.rolledBackTo,
    changedOfferingIds: change.changedOfferingIds,
    entries: change.entries,
    publishedAt: head.now,
    effectiveAt,
    publishedBy: ctx.caller.subject,
    publishedByOrgId: ctx.caller.orgId,
    requestId: ctx.requestId,
  });
  const summary = {
    channelId: channel.id,
    version,
    kind,
    previousVersion: head.latestVersion || null,
    offeringIds: change.changedOfferingIds,
    rolledBackTo: change.rolledBackTo,
    entryCount: change.entries.length,
    publishedAt: head.now.toISOString(),
    effectiveAt: effectiveAt.toISOString(),
  };
  const event = { aggregateType: 'Channel', aggregateId: channel.id, orgId: channel.ownerOrgId };
  return {
    result: row,
    audit: {
      action: `catalog.${kind.toLowerCase()}`,
      objectType: 'Channel',
      objectId: channel.id,
      before: { version: head.latestVersion || null },
      after: summary,
    },
    events: [
      { ...event, type: 'catalog.published', payload: summary },
      ...(effectiveAt.getTime() <= head.now.getTime()
        ? [
            {
              ...event,
              type: 'catalog.version_effective',
              payload: { channelId: channel.id, version, effectiveAt: summary.effectiveAt },
            },
          ]
        : []),
    ],
  };
}
