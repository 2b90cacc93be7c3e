import {
  badInput,
  emitEvent,
  forbidden,
  pageOf,
  parseInput,
  requireReferences,
  toConnection,
  userError,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import type { OfferingRow } from '../offerings/data.js';
import type { ChannelView } from '../org-views/data.js';
import {
  type CatalogVersionRow,
  entriesOfVersion,
  insertCatalogVersion,
  latestPublished,
  lockHead,
  type Tx,
} from './data.js';
import {
  type CatalogOperation,
  failureReason,
  publishCounter,
  publishFailureCounter,
} from './metrics.js';
import {
  channelChangeArgs,
  type EntrySeed,
  effectiveAtInPast,
  effectiveAtOf,
  foreignOfferings,
  type ListingProblem,
  listingProblem,
  type PublisherRole,
  publishEntries,
  publisherRole,
  rollbackArgs,
  scheduleConflict,
  unlistEntries,
} from './rules.js';

/**
 * Counts a new version (not an idempotent replay: a replayed version carries the first
 * request's id), or a refusal under its reason, then lets the error through.
 */
async function counted(
  ctx: Context,
  operation: CatalogOperation,
  run: () => Promise<CatalogVersionRow>,
) {
  try {
    const result = await run();
    if (result.requestId === ctx.requestId) publishCounter(ctx.metrics).inc({ operation });
    return result;
  } catch (e) {
    publishFailureCounter(ctx.metrics).inc({ operation, reason: failureReason(e) });
    throw e;
  }
}

async function channelOrFail(ctx: Context, channelId: string): Promise<ChannelView> {
  const channel = await ctx.loaders.channelView.load(channelId);
  if (!channel)
    throw userError('NOT_FOUND', `channel ${channelId} does not exist`, {
      field: 'channelId',
      reason: 'CHANNEL_NOT_FOUND',
    });
  return channel;
}

function requireActiveChannel(channel: ChannelView) {
  if (channel.status !== 'ACTIVE')
    throw userError('BAD_USER_INPUT', `channel ${channel.code} is not active`, {
      field: 'channelId',
      reason: 'CHANNEL_INACTIVE',
    });
}

async function offeringsOrFail(ctx: Context, ids: string[]): Promise<OfferingRow[]> {
  const rows = await ctx.loaders.offering.loadMany(ids);
  const missing = ids.filter((_, i) => {
    const row = rows[i];
    if (row instanceof Error) throw row;
    return !row;
  });
  if (missing.length)
    throw userError(
      'NOT_FOUND',
      `offering ${missing[0]} does not exist${missing.length > 1 ? ` (nor ${missing.length - 1} more: extensions.offeringIds)` : ''}`,
      {
        field: 'offeringIds',
        offeringId: missing[0],
        offeringIds: missing,
        reason: 'OFFERING_NOT_FOUND',
      },
    );
  return rows as OfferingRow[];
}

/**
 * catalog:publish, then: administrators and the channel's owner may change anything; any
 * other organization may list and unlist only its own offerings (whether it may sell in the
 * channel is then checked like everyone's). Rollback is the owner's.
 */
function requireMayChange(
  ctx: Context,
  channel: ChannelView,
  offerings: OfferingRow[] | null,
  verb: string,
): PublisherRole {
  const role = publisherRole(ctx.caller, channel);
  if (!role) throw forbidden('changing a channel catalog needs an organization (or admin)');
  if (role !== 'seller') return role;
  if (!offerings)
    throw forbidden(`only the channel's owner (or admin) may ${verb} channel ${channel.code}`);
  const foreign = foreignOfferings(ctx.caller, offerings);
  if (foreign.length)
    throw forbidden(
      `in a channel you do not own you may ${verb} only your own organization's offerings; offering ${foreign[0]} is another seller's`,
    );
  return role;
}

function listingError(channel: ChannelView, problems: ListingProblem[], verb: string) {
  const [first] = problems;
  return userError(
    'BAD_USER_INPUT',
    `offering ${first!.offeringId} cannot be ${verb} in channel ${channel.code}: ${first!.message}${problems.length > 1 ? ` (${problems.length - 1} more offering(s) refused: extensions.problems)` : ''}`,
    { field: 'offeringIds', offeringId: first!.offeringId, reason: first!.reason, problems },
  );
}

/** Checks every offering against the channel; all problems are reported at once. */
async function listingProblems(ctx: Context, channel: ChannelView, offerings: OfferingRow[]) {
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
  return offerings.flatMap((o, i) => {
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
}

interface Change {
  kind: 'PUBLISH' | 'UNLIST' | 'ROLLBACK';
  entries: EntrySeed[];
  changedOfferingIds: string[];
  rolledBackTo: number | null;
}

/**
 * The one path to a new catalog version: lock the channel's head (concurrent changes take
 * turns, each building on the one before), build the entries, write the version, its entries,
 * the audit row and the events in one transaction, at most once per idempotency key.
 */
function writeCatalogVersion(
  ctx: Context,
  channel: ChannelView,
  request: {
    operation: CatalogOperation;
    key?: string | null;
    input: unknown;
    effectiveAt?: Date | null;
  },
  build: (tx: Tx, head: { latestVersion: number }) => Promise<Change>,
): Promise<CatalogVersionRow> {
  return writeOnce(
    ctx.prisma,
    SCHEMA,
    ctx,
    { operation: request.operation, key: request.key, input: request.input },
    async (tx) => {
      await requireReferences(tx, [
        { view: 'org_graph.channel_v1', id: channel.id, what: 'channel', field: 'channelId' },
      ]);
      const head = await lockHead(tx, channel.id);
      const effectiveAt = effectiveAtOf(request.effectiveAt, head.now);
      if (request.operation !== 'rollbackChannelCatalog') {
        const conflict = scheduleConflict(head, effectiveAt);
        if (conflict)
          throw userError('CONFLICT', conflict, {
            field: 'effectiveAt',
            reason: 'SCHEDULE_CONFLICT',
            scheduledVersion: head.latestVersion,
            scheduledAt: head.latestEffectiveAt?.toISOString(),
          });
      }
      const change = await build(tx, head);
      const version = head.latestVersion + 1;
      const row = await insertCatalogVersion(tx, {
        channelId: channel.id,
        version,
        kind: change.kind,
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
        kind: change.kind,
        previousVersion: head.latestVersion || null,
        offeringIds: change.changedOfferingIds,
        rolledBackTo: change.rolledBackTo,
        entryCount: change.entries.length,
        publishedAt: head.now.toISOString(),
        effectiveAt: effectiveAt.toISOString(),
      };
      await writeAudit(tx, SCHEMA, ctx, {
        action: `catalog.${change.kind.toLowerCase()}`,
        objectType: 'Channel',
        objectId: channel.id,
        before: { version: head.latestVersion || null },
        after: summary,
      });
      const event = {
        aggregateType: 'Channel',
        aggregateId: channel.id,
        orgId: channel.ownerOrgId,
      };
      await emitEvent(tx, ctx, { ...event, type: 'catalog.published', payload: summary });
      if (effectiveAt.getTime() <= head.now.getTime()) {
        await emitEvent(tx, ctx, {
          ...event,
          type: 'catalog.version_effective',
          payload: { channelId: channel.id, version, effectiveAt: summary.effectiveAt },
        });
      }
      return row;
    },
  );
}

function requireFutureOrNow(effectiveAt: Date | null | undefined) {
  if (effectiveAtInPast(effectiveAt, new Date()))
    throw userError(
      'BAD_USER_INPUT',
      `effectiveAt ${effectiveAt!.toISOString()} is in the past; give a time from now on (or none for now)`,
      { field: 'effectiveAt', reason: 'EFFECTIVE_AT_IN_PAST' },
    );
}

export const catalogResolvers: Resolvers = {
  Mutation: {
    publishToChannel: (_, args, ctx) =>
      counted(ctx, 'publishToChannel', async () => {
        const data = parseInput(channelChangeArgs, args, '');
        requireFutureOrNow(data.effectiveAt);
        const channel = await channelOrFail(ctx, data.channelId);
        const offerings = await offeringsOrFail(ctx, data.offeringIds);
        requireMayChange(ctx, channel, offerings, 'publish');
        requireActiveChannel(channel);
        const problems = await listingProblems(ctx, channel, offerings);
        if (problems.length) throw listingError(channel, problems, 'listed');
        return writeCatalogVersion(
          ctx,
          channel,
          {
            operation: 'publishToChannel',
            key: data.idempotencyKey,
            input: args,
            effectiveAt: data.effectiveAt,
          },
          async (tx, head) => {
            const [previous, listed] = await Promise.all([
              head.latestVersion ? entriesOfVersion(tx, channel.id, head.latestVersion) : [],
              latestPublished(tx, data.offeringIds),
            ]);
            return {
              kind: 'PUBLISH',
              entries: publishEntries(previous, listed),
              changedOfferingIds: data.offeringIds,
              rolledBackTo: null,
            };
          },
        );
      }),

    unlistFromChannel: (_, args, ctx) =>
      counted(ctx, 'unlistFromChannel', async () => {
        const data = parseInput(channelChangeArgs, args, '');
        requireFutureOrNow(data.effectiveAt);
        const channel = await channelOrFail(ctx, data.channelId);
        const offerings = await offeringsOrFail(ctx, data.offeringIds);
        requireMayChange(ctx, channel, offerings, 'unlist');
        requireActiveChannel(channel);
        return writeCatalogVersion(
          ctx,
          channel,
          {
            operation: 'unlistFromChannel',
            key: data.idempotencyKey,
            input: args,
            effectiveAt: data.effectiveAt,
          },
          async (tx, head) => {
            const previous = head.latestVersion
              ? await entriesOfVersion(tx, channel.id, head.latestVersion)
              : [];
            const { entries, missing } = unlistEntries(previous, data.offeringIds);
            if (missing.length)
              throw listingError(
                channel,
                missing.map((offeringId) => ({
                  offeringId,
                  reason: 'NOT_LISTED' as const,
                  message: `it is not listed in version ${head.latestVersion}`,
                })),
                'unlisted',
              );
            return {
              kind: 'UNLIST',
              entries,
              changedOfferingIds: data.offeringIds,
              rolledBackTo: null,
            };
          },
        );
      }),

    rollbackChannelCatalog: (_, args, ctx) =>
      counted(ctx, 'rollbackChannelCatalog', async () => {
        const data = parseInput(rollbackArgs, args, '');
        requireFutureOrNow(data.effectiveAt);
        const channel = await channelOrFail(ctx, data.channelId);
        requireMayChange(ctx, channel, null, 'roll back');
        requireActiveChannel(channel);
        return writeCatalogVersion(
          ctx,
          channel,
          {
            operation: 'rollbackChannelCatalog',
            key: data.idempotencyKey,
            input: args,
            effectiveAt: data.effectiveAt,
          },
          async (tx, head) => {
            if (data.toVersion > head.latestVersion)
              throw userError(
                'BAD_USER_INPUT',
                head.latestVersion
                  ? `channel ${channel.code} has no catalog version ${data.toVersion} (latest: ${head.latestVersion})`
                  : `channel ${channel.code} has no catalog version yet`,
                {
                  field: 'toVersion',
                  reason: 'VERSION_NOT_FOUND',
                  latestVersion: head.latestVersion,
                },
              );
            return {
              kind: 'ROLLBACK',
              entries: await entriesOfVersion(tx, channel.id, data.toVersion),
              changedOfferingIds: [],
              rolledBackTo: data.toVersion,
            };
          },
        );
      }),
  },

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
    entries: async (v, args, ctx) => {
      const page = pageOf(args);
      const rows =
        page.take === 0 && !page.afterId
          ? []
          : await ctx.loaders.entryPage.load({
              catalogVersionId: v.id,
              take: page.take,
              afterId: page.afterId,
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
