import { groupLoader, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  CatalogEntry,
  CatalogVersion,
  Prisma,
} from '@trellis/prisma/catalog/generated/client.ts';
import DataLoader from 'dataloader';
import type { CatalogPrisma } from '../context.js';
import { timeOrderedId } from '../ids.js';
import type { offeringLoaders } from '../offerings/data.js';
import type { productLoaders } from '../products/data.js';
import type { EntrySeed } from './rules.js';

export type Tx = Prisma.TransactionClient;

/** A channel as catalog knows it: the key org-graph resolves. */
export interface ChannelRef {
  id: string;
}
export type CatalogVersionRow = CatalogVersion;
export type CatalogEntryRow = CatalogEntry;

const VERSION_COLUMNS = `v.id::text AS id, v.channel_id::text AS "channelId", v.version, v.kind::text AS kind,
  v.rolled_back_to AS "rolledBackTo", COALESCE(v.changed_offering_ids::text[], '{}') AS "changedOfferingIds",
  v.entry_count AS "entryCount", v.published_at AS "publishedAt", v.effective_at AS "effectiveAt",
  v.published_by AS "publishedBy", v.published_by_org_id::text AS "publishedByOrgId", v.request_id AS "requestId"`;

const ENTRY_COLUMNS = `e.id::text AS id, e.catalog_version_id::text AS "catalogVersionId", e.channel_id::text AS "channelId",
  e.version, e.offering_id::text AS "offeringId", e.offering_version_id::text AS "offeringVersionId",
  e.offering_version AS "offeringVersionNo", e.sku_id::text AS "skuId", e.seller_org_id::text AS "sellerOrgId"`;

/** Which catalog version of a channel: by number, in force at a time, or in force now. */
export interface CatalogSelector {
  channelId: string;
  version?: number | null;
  at?: Date | null;
}
const selectorKey = (s: CatalogSelector) =>
  `${s.channelId}|${s.version ?? ''}|${s.at ? s.at.toISOString() : ''}`;

export interface EntryPageKey {
  catalogVersionId: string;
  take: number;
  afterId: string | null;
}
const pageKey = (k: EntryPageKey) => `${k.catalogVersionId}|${k.take}|${k.afterId ?? ''}`;

/** The loaders an entry's fields read through (primed with a page's entry graph). */
export type EntryGraphLoaders = Pick<
  ReturnType<typeof offeringLoaders>,
  'offering' | 'offeringVersion'
> &
  Pick<ReturnType<typeof productLoaders>, 'sku' | 'product'>;

/**
 * The offerings, offering versions, SKUs and products of a page of entries, read in one
 * statement (relation joins) into the request's loaders: the entries' fields then cost nothing,
 * however many entries the page has.
 */
async function primeEntryGraph(
  prisma: CatalogPrisma,
  loaders: EntryGraphLoaders,
  entries: readonly CatalogEntryRow[],
): Promise<void> {
  if (!entries.length) return;
  const rows = await prisma.catalogEntry.findMany({
    where: { id: { in: entries.map((e) => e.id) } },
    relationLoadStrategy: 'join',
    select: {
      offeringVersion: true,
      offering: { include: { sku: { include: { product: true } } } },
    },
  });
  for (const { offeringVersion, offering } of rows) {
    const { sku: skuWithProduct, ...offeringRow } = offering;
    const { product, ...sku } = skuWithProduct;
    loaders.offeringVersion.prime(offeringVersion.id, offeringVersion);
    loaders.offering.prime(offeringRow.id, offeringRow);
    loaders.sku.prime(sku.id, sku);
    loaders.product.prime(product.id, product);
  }
}

export function catalogLoaders(prisma: CatalogPrisma, entryGraph: EntryGraphLoaders) {
  return {
    catalogVersionsOf: groupLoader<string, CatalogVersionRow>(
      (channelIds) =>
        prisma.catalogVersion.findMany({
          where: { channelId: { in: uuidsOnly(channelIds) } },
          orderBy: [{ channelId: 'asc' }, { version: 'asc' }],
        }),
      (v) => v.channelId,
    ),
    /** one statement for any number of channels and selectors */
    catalogOf: new DataLoader<CatalogSelector, CatalogVersionRow | null, string>(
      async (selectors) => {
        const valid = selectors.filter((s) => uuidsOnly([s.channelId]).length);
        if (!valid.length) return selectors.map(() => null);
        const rows = await prisma.$queryRawUnsafe<(CatalogVersionRow & { key: string })[]>(
          `SELECT k.key, ${VERSION_COLUMNS}
             FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) AS k(key, channel_id, version, at)
             CROSS JOIN LATERAL (
               SELECT * FROM "catalog"."catalog_version" c
                WHERE c.channel_id = k.channel_id
                  AND CASE WHEN k.version > 0 THEN c.version = k.version
                           ELSE c.effective_at <= COALESCE(NULLIF(k.at, '')::timestamptz, now()) END
                ORDER BY c.version DESC LIMIT 1) v`,
          valid.map(selectorKey),
          valid.map((s) => s.channelId),
          valid.map((s) => s.version ?? 0),
          valid.map((s) => (s.at ? s.at.toISOString() : '')),
        );
        const byKey = new Map(rows.map(({ key, ...row }) => [key, row as CatalogVersionRow]));
        return selectors.map((s) => byKey.get(selectorKey(s)) ?? null);
      },
      { cacheKeyFn: selectorKey },
    ),
    /** pages of entries (`take + 1` rows after the cursor) of any number of versions */
    entryPage: new DataLoader<EntryPageKey, CatalogEntryRow[], string>(
      async (keys) => {
        const rows = await prisma.$queryRawUnsafe<(CatalogEntryRow & { key: string })[]>(
          `SELECT k.key, ${ENTRY_COLUMNS}
             FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) AS k(key, version_id, take, after_id)
             CROSS JOIN LATERAL (
               SELECT * FROM "catalog"."catalog_entry" c
                WHERE c.catalog_version_id = k.version_id
                  AND (k.after_id = '' OR c.id > NULLIF(k.after_id, '')::uuid)
                ORDER BY c.id LIMIT k.take + 1) e
            ORDER BY k.key, e.id`,
          keys.map(pageKey),
          keys.map((k) => k.catalogVersionId),
          keys.map((k) => k.take),
          keys.map((k) => k.afterId ?? ''),
        );
        const groups = new Map<string, CatalogEntryRow[]>(keys.map((k) => [pageKey(k), []]));
        const entries: CatalogEntryRow[] = [];
        for (const { key, ...row } of rows) {
          groups.get(key)?.push(row as CatalogEntryRow);
          entries.push(row as CatalogEntryRow);
        }
        await primeEntryGraph(prisma, entryGraph, entries);
        return keys.map((k) => groups.get(pageKey(k)) ?? []);
      },
      { cacheKeyFn: pageKey },
    ),
    catalogEntry: rowLoader<string, CatalogEntryRow>(
      (ids) => prisma.catalogEntry.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (e) => e.id,
    ),
  };
}

/** The channel's catalog head, locked until the transaction ends; created on first use. */
export async function lockHead(tx: Tx, channelId: string) {
  const [head] = await tx.$queryRawUnsafe<
    { latestVersion: number; latestEffectiveAt: Date | null; now: Date }[]
  >(
    `INSERT INTO "catalog"."channel_catalog" AS h (channel_id) VALUES ($1::uuid)
     ON CONFLICT (channel_id) DO UPDATE SET updated_at = h.updated_at
     RETURNING h.latest_version AS "latestVersion", h.latest_effective_at AS "latestEffectiveAt",
               date_trunc('milliseconds', clock_timestamp()) AS now`,
    channelId,
  );
  return {
    latestVersion: head!.latestVersion,
    latestEffectiveAt: head!.latestEffectiveAt ? new Date(head!.latestEffectiveAt) : null,
    // evaluated once the row lock is held, so versions' times follow their numbers
    now: new Date(head!.now),
  };
}

/** A version's entries in listing order. */
export function entriesOfVersion(tx: Tx, channelId: string, version: number): Promise<EntrySeed[]> {
  return tx.catalogEntry.findMany({
    where: { channelId, version },
    orderBy: { id: 'asc' },
    select: {
      offeringId: true,
      offeringVersionId: true,
      offeringVersionNo: true,
      skuId: true,
      sellerOrgId: true,
    },
  });
}

/** The offerings at their latest published version (offerings never published are left out). */
export async function latestPublished(
  tx: Tx,
  offeringIds: readonly string[],
): Promise<EntrySeed[]> {
  const rows = await tx.$queryRawUnsafe<EntrySeed[]>(
    `SELECT o.id::text AS "offeringId", v.id::text AS "offeringVersionId", v.version AS "offeringVersionNo",
            o.sku_id::text AS "skuId", o.seller_org_id::text AS "sellerOrgId"
       FROM "catalog"."offering" o
       JOIN "catalog"."offering_version" v ON v.offering_id = o.id AND v.version = o.latest_version
      WHERE o.id = ANY($1::uuid[])`,
    uuidsOnly(offeringIds),
  );
  const byId = new Map(rows.map((r) => [r.offeringId, r]));
  return offeringIds.flatMap((id) => byId.get(id) ?? []);
}

export interface NewCatalogVersion {
  channelId: string;
  version: number;
  kind: 'PUBLISH' | 'UNLIST' | 'ROLLBACK';
  rolledBackTo: number | null;
  changedOfferingIds: string[];
  entries: EntrySeed[];
  publishedAt: Date;
  effectiveAt: Date;
  publishedBy: string;
  publishedByOrgId: string | null;
  requestId: string;
}

/** Writes the version, its entries (ids minted in listing order) and moves the head. */
export async function insertCatalogVersion(tx: Tx, v: NewCatalogVersion) {
  const row = await tx.catalogVersion.create({
    data: {
      channelId: v.channelId,
      version: v.version,
      kind: v.kind,
      rolledBackTo: v.rolledBackTo,
      changedOfferingIds: v.changedOfferingIds,
      entryCount: v.entries.length,
      publishedAt: v.publishedAt,
      effectiveAt: v.effectiveAt,
      publishedBy: v.publishedBy,
      publishedByOrgId: v.publishedByOrgId,
      requestId: v.requestId,
    },
  });
  if (v.entries.length) {
    await tx.catalogEntry.createMany({
      data: v.entries.map((e) => ({
        id: timeOrderedId(),
        catalogVersionId: row.id,
        channelId: v.channelId,
        version: v.version,
        ...e,
      })),
    });
  }
  await tx.channelCatalog.update({
    where: { channelId: v.channelId },
    data: { latestVersion: v.version, latestEffectiveAt: v.effectiveAt, updatedAt: v.publishedAt },
  });
  // a version in force at once is recorded as such now: the scheduler only sees scheduled ones
  if (v.effectiveAt.getTime() <= v.publishedAt.getTime()) {
    await tx.catalogVersionEffective.create({
      data: {
        catalogVersionId: row.id,
        channelId: v.channelId,
        version: v.version,
        effectiveAt: v.effectiveAt,
      },
    });
  }
  return row;
}

/** Entries per channel in the version in force now (the listings gauge). */
export function listingsInForce(prisma: CatalogPrisma) {
  return prisma.$queryRawUnsafe<{ channelId: string; listings: number }[]>(
    `SELECT h.channel_id::text AS "channelId", COALESCE(v.entry_count, 0)::int AS listings
       FROM "catalog"."channel_catalog" h
       LEFT JOIN LATERAL (
         SELECT c.entry_count FROM "catalog"."catalog_version" c
          WHERE c.channel_id = h.channel_id AND c.effective_at <= now()
          ORDER BY c.version DESC LIMIT 1) v ON true`,
  );
}
