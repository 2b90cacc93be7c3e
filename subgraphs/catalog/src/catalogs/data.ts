import { groupLoader, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  CatalogEntry,
  CatalogVersion,
  Prisma,
} from '@trellis/prisma/catalog/generated/client.ts';
import DataLoader from 'dataloader';
import type { CatalogPrisma } from '../context.js';
import { timeOrderedId } from '../ids.js';
import type { OfferingRow, OfferingVersionRow, offeringLoaders } from '../offerings/data.js';
import type { ProductRow, productLoaders, SkuRow } from '../products/data.js';
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
 * The columns of an entry's offering, offering version, SKU and product, named `<table>.<field>`
 * after the Prisma models (the rows the loaders hold; a test compares them with Prisma's own).
 */
const ENTRY_GRAPH_COLUMNS = `
  o.id::text AS "o.id", o.seller_org_id::text AS "o.sellerOrgId", o.sku_id::text AS "o.skuId",
  o.status::text AS "o.status", o.draft_name AS "o.draftName", o.draft_description AS "o.draftDescription",
  o.draft_terms AS "o.draftTerms", o.latest_version AS "o.latestVersion", o.created_at AS "o.createdAt",
  o.updated_at AS "o.updatedAt",
  ov.id::text AS "v.id", ov.offering_id::text AS "v.offeringId", ov.version AS "v.version", ov.name AS "v.name",
  ov.description AS "v.description", ov.terms AS "v.terms", ov.published_at AS "v.publishedAt",
  ov.published_by AS "v.publishedBy",
  s.id::text AS "s.id", s.product_id::text AS "s.productId", s.code AS "s.code", s.name AS "s.name",
  s.status::text AS "s.status", s.attributes AS "s.attributes", s.created_at AS "s.createdAt",
  s.updated_at AS "s.updatedAt",
  p.id::text AS "p.id", p.manufacturer_id::text AS "p.manufacturerId", p.name AS "p.name",
  p.description AS "p.description", p.status::text AS "p.status", p.attributes AS "p.attributes",
  p.created_at AS "p.createdAt", p.updated_at AS "p.updatedAt"`;

/** A page's entries with what their fields read: offering, offering version, SKU, product. */
export interface EntryGraph {
  entries: CatalogEntryRow[];
  offerings: OfferingRow[];
  offeringVersions: OfferingVersionRow[];
  skus: SkuRow[];
  products: ProductRow[];
}

type Row = Record<string, unknown>;

/** Splits a joined row into its tables' rows (`<table>.<field>` columns; bare ones: the entry). */
function splitRow(row: Row): Record<string, Row> {
  const parts: Record<string, Row> = { entry: {} };
  for (const [column, value] of Object.entries(row)) {
    const dot = column.indexOf('.');
    const table = dot < 0 ? 'entry' : column.slice(0, dot);
    const part = parts[table] ?? {};
    parts[table] = part;
    part[dot < 0 ? column : column.slice(dot + 1)] = value;
  }
  return parts;
}

/**
 * Pages of entries (`take + 1` rows after each cursor) of any number of catalog versions, with
 * each entry's offering, offering version, SKU and product, in one statement.
 */
export async function readEntryPages(
  prisma: CatalogPrisma,
  keys: readonly EntryPageKey[],
): Promise<Map<string, EntryGraph>> {
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `SELECT k.key, ${ENTRY_COLUMNS}, ${ENTRY_GRAPH_COLUMNS}
       FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) AS k(key, version_id, take, after_id)
       CROSS JOIN LATERAL (
         SELECT * FROM "catalog"."catalog_entry" c
          WHERE c.catalog_version_id = k.version_id
            AND (k.after_id = '' OR c.id > NULLIF(k.after_id, '')::uuid)
          ORDER BY c.id LIMIT k.take + 1) e
       JOIN "catalog"."offering" o ON o.id = e.offering_id
       JOIN "catalog"."offering_version" ov ON ov.id = e.offering_version_id
       JOIN "catalog"."sku" s ON s.id = e.sku_id
       JOIN "catalog"."product" p ON p.id = s.product_id
      ORDER BY k.key, e.id`,
    keys.map(pageKey),
    keys.map((k) => k.catalogVersionId),
    keys.map((k) => k.take),
    keys.map((k) => k.afterId ?? ''),
  );
  const pages = new Map<string, EntryGraph>(
    keys.map((k) => [
      pageKey(k),
      { entries: [], offerings: [], offeringVersions: [], skus: [], products: [] },
    ]),
  );
  for (const row of rows) {
    const { entry, o, v, s, p } = splitRow(row);
    const { key, ...entryRow } = entry!;
    const page = pages.get(String(key));
    if (!page) continue;
    page.entries.push(entryRow as unknown as CatalogEntryRow);
    page.offerings.push(o as unknown as OfferingRow);
    page.offeringVersions.push(v as unknown as OfferingVersionRow);
    page.skus.push(s as unknown as SkuRow);
    page.products.push(p as unknown as ProductRow);
  }
  return pages;
}

/** Puts a page's offerings, versions, SKUs and products into the request's loaders. */
function prime(loaders: EntryGraphLoaders, graph: EntryGraph): void {
  for (const row of graph.offerings) loaders.offering.prime(row.id, row);
  for (const row of graph.offeringVersions) loaders.offeringVersion.prime(row.id, row);
  for (const row of graph.skus) loaders.sku.prime(row.id, row);
  for (const row of graph.products) loaders.product.prime(row.id, row);
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
    /**
     * pages of entries (`take + 1` rows after the cursor) of any number of versions; what the
     * entries' fields read comes with them (one statement, however large the pages)
     */
    entryPage: new DataLoader<EntryPageKey, CatalogEntryRow[], string>(
      async (keys) => {
        const pages = await readEntryPages(prisma, keys);
        return keys.map((k) => {
          const page = pages.get(pageKey(k));
          if (!page) return [];
          prime(entryGraph, page);
          return page.entries;
        });
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
