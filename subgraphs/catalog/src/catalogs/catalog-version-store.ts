import { col, columns, groupLoader, rowLoader, uuidsOnly } from '@trellis/kit';
import type { CatalogEntry, CatalogVersion } from '@trellis/prisma/catalog/generated/client.ts';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { timeOrderedId } from '../ids.js';
import type {
  ListedOffering,
  ListedOfferingVersion,
  offeringLoaders,
} from '../offerings/offering-store.js';
import type { OrganizationView, orgViewLoaders } from '../org-views/org-view-store.js';
import type { CatalogPrisma, CatalogTx } from '../prisma.js';
import type {
  ListedProduct,
  ListedSku,
  ProductRow,
  productLoaders,
  SkuRow,
} from '../products/product-store.js';
import type { EntrySeed } from './rules.js';

/** A channel as catalog knows it: the key org-graph resolves. */
export interface ChannelRef {
  id: string;
}
export type CatalogVersionRow = CatalogVersion;
export type CatalogEntryRow = CatalogEntry;

/**
 * A version's row as Prisma reads it. Its changed offerings come as JSON, which decodes
 * natively: node-postgres parses a text array character by character (a publish of a hundred
 * offerings, read with every flagship page).
 */
const VERSION_COLUMNS = `v.id::text AS id, v.channel_id::text AS "channelId", v.version, v.kind::text AS kind,
  v.rolled_back_to AS "rolledBackTo", to_json(COALESCE(v.changed_offering_ids::text[], '{}')) AS "changedOfferingIds",
  v.entry_count AS "entryCount", v.published_at AS "publishedAt", v.effective_at AS "effectiveAt",
  v.published_by AS "publishedBy", v.published_by_org_id::text AS "publishedByOrgId", v.request_id AS "requestId"`;

/** Which catalog version of a channel: by number, in force at a time, or in force now. */
export interface CatalogSelector {
  channelId: string;
  version?: number | null;
  at?: Date | null;
}
const versionKey = (s: CatalogSelector) => `${s.channelId}|${s.version}`;
const selectorKey = (s: CatalogSelector) =>
  `${s.channelId}|${s.version ?? ''}|${s.at ? s.at.toISOString() : ''}`;
const pageSelectorKey = (s: CatalogPageSelector) =>
  `${selectorKey(s)}|${s.take}|${s.afterId ?? ''}|${s.graph}`;

export interface EntryPageKey {
  catalogVersionId: string;
  take: number;
  afterId: string | null;
}
const pageKey = (k: EntryPageKey) => `${k.catalogVersionId}|${k.take}|${k.afterId ?? ''}`;

/**
 * A page of a catalog version as the resolvers ask for it: which version (its channel and
 * number too), which page, and whether the entries' mutable neighbours are read (`graph`:
 * offering, SKU, product, manufacturer — what `offering` and `sku` resolve).
 */
export interface VersionPageKey extends EntryPageKey {
  channelId: string;
  version: number;
  graph: boolean;
}
/** The page of a version, whatever else is read with it. */
const versionPageKey = (k: VersionPageKey) =>
  `${k.channelId}|${k.version}|${k.catalogVersionId}|${k.take}|${k.afterId ?? ''}`;

/** What a published version's page holds that never changes: its entries and their offering versions. */
interface ImmutablePage {
  entries: CatalogEntryRow[];
  offeringVersions: ListedOfferingVersion[];
}

/**
 * Published catalog history is immutable (the database refuses UPDATE and DELETE of catalog
 * versions, their entries and offering versions) and public (row-level security shows it to
 * every caller), so the process keeps what it read of it: version rows by channel and number,
 * pages by channel, version and page. A new version is a new key; nothing is invalidated.
 * Offerings, SKUs, products and manufacturers change and are read per request. Bounded by the
 * size of the rows as JSON (about the memory they hold).
 */
export const immutableCatalog = new LRUCache<string, ImmutablePage | CatalogVersionRow>({
  maxSize: 32 * 1024 * 1024,
  sizeCalculation: (value) => JSON.stringify(value).length,
});

/** The loaders an entry's fields read through (primed with a page's entry graph). */
export type EntryGraphLoaders = Pick<
  ReturnType<typeof offeringLoaders>,
  'offering' | 'offeringVersion'
> &
  Pick<ReturnType<typeof productLoaders>, 'sku' | 'product'> &
  Pick<ReturnType<typeof orgViewLoaders>, 'organizationView'>;

/**
 * A page's entries with what their fields read: offering, offering version, SKU, product and
 * the product's manufacturer (org-graph's published view: the name catalog provides). The
 * rows are `Listed`: without their details (descriptions, terms, attributes), which the fields
 * that show them read on demand.
 */
export interface EntryGraph {
  entries: CatalogEntryRow[];
  offerings: ListedOffering[];
  offeringVersions: ListedOfferingVersion[];
  skus: ListedSku[];
  products: ListedProduct[];
  manufacturers: OrganizationView[];
}

/**
 * An entry with its offering, offering version, SKU, product and manufacturer, as the page
 * statement answers it: one JSON array per entry (ids already given are not repeated; the
 * manufacturer's columns are null when org-graph does not show it), without the rows' details.
 */
const ENTRY_GRAPH = columns({
  page: col.int('k.n'),
  entry: {
    id: col.uuid('e.id'),
    catalogVersionId: col.uuid('e.catalog_version_id'),
    channelId: col.uuid('e.channel_id'),
    version: col.int('e.version'),
    offeringId: col.uuid('e.offering_id'),
    offeringVersionId: col.uuid('e.offering_version_id'),
    offeringVersionNo: col.int('e.offering_version'),
    skuId: col.uuid('e.sku_id'),
    sellerOrgId: col.uuid('e.seller_org_id'),
  },
  offering: {
    status: col.text<ListedOffering['status']>('o.status'),
    draftName: col.text('o.draft_name'),
    latestVersion: col.nullable(col.int('o.latest_version')),
  },
  offeringVersion: {
    version: col.int('ov.version'),
    name: col.text('ov.name'),
    publishedBy: col.nullable(col.text('ov.published_by')),
  },
  sku: {
    productId: col.uuid('s.product_id'),
    code: col.text('s.code'),
    name: col.text('s.name'),
    status: col.text<SkuRow['status']>('s.status'),
  },
  product: {
    manufacturerId: col.uuid('p.manufacturer_id'),
    name: col.text('p.name'),
    status: col.text<ProductRow['status']>('p.status'),
  },
  manufacturer: {
    name: col.nullable(col.text('m.name')),
    type: col.nullable(col.text<OrganizationView['type']>('m.type')),
    status: col.nullable(col.text<OrganizationView['status']>('m.status')),
  },
});

/** Splits an entry's tuple into the rows of its tables (the rows Prisma reads, a test checks). */
function entryGraphRows(tuple: readonly unknown[]) {
  const { page, entry, ...t } = ENTRY_GRAPH.decode(tuple);
  const offering: ListedOffering = {
    id: entry.offeringId,
    sellerOrgId: entry.sellerOrgId,
    skuId: entry.skuId,
    ...t.offering,
  };
  const offeringVersion: ListedOfferingVersion = {
    id: entry.offeringVersionId,
    offeringId: entry.offeringId,
    ...t.offeringVersion,
  };
  const sku: ListedSku = { id: entry.skuId, ...t.sku };
  const product: ListedProduct = { id: sku.productId, ...t.product };
  const { name, type, status } = t.manufacturer;
  const manufacturer: OrganizationView | null =
    name === null ? null : { id: product.manufacturerId, name, type: type!, status: status! };
  return { page, entry, offering, offeringVersion, sku, product, manufacturer };
}

/**
 * A page (`take + 1` entries after the cursor) of the catalog version `versionId`, with each
 * entry's offering, offering version, SKU, product and manufacturer: the FROM of a statement
 * that selects `ENTRY_GRAPH` (its `page` column is `k.n`).
 */
const entryGraphFrom = (versionId: string, take: string, afterId: string) => `
  (SELECT * FROM "catalog"."catalog_entry" c
    WHERE c.catalog_version_id = ${versionId}
      AND (${afterId} = '' OR c.id > NULLIF(${afterId}, '')::uuid)
    ORDER BY c.id LIMIT ${take} + 1) e
  JOIN "catalog"."offering" o ON o.id = e.offering_id
  JOIN "catalog"."offering_version" ov ON ov.id = e.offering_version_id
  JOIN "catalog"."sku" s ON s.id = e.sku_id
  JOIN "catalog"."product" p ON p.id = s.product_id
  LEFT JOIN "org_graph"."organization_v1" m ON m.id = p.manufacturer_id`;

const emptyGraph = (): EntryGraph => ({
  entries: [],
  offerings: [],
  offeringVersions: [],
  skus: [],
  products: [],
  manufacturers: [],
});

/** Adds an entry's rows to the graph of its page. */
function addRows(graph: EntryGraph, rows: ReturnType<typeof entryGraphRows>): void {
  graph.entries.push(rows.entry);
  graph.offerings.push(rows.offering);
  graph.offeringVersions.push(rows.offeringVersion);
  graph.skus.push(rows.sku);
  graph.products.push(rows.product);
  if (rows.manufacturer) graph.manufacturers.push(rows.manufacturer);
}

/**
 * Pages of entries (`take + 1` rows after each cursor) of any number of catalog versions, with
 * each entry's offering, offering version, SKU, product and manufacturer, in one statement.
 * The answer is one JSON document: PGlite decodes it far faster than rows of forty columns
 * (a page of 142 entries: 4.5 ms instead of 11 ms).
 */
export async function readEntryPages(
  prisma: CatalogPrisma,
  keys: readonly EntryPageKey[],
): Promise<Map<string, EntryGraph>> {
  const [answer] = await prisma.$read<{ doc: string }>(
    `SELECT coalesce(json_agg(${ENTRY_GRAPH.jsonArray} ORDER BY k.n, e.id), '[]')::text AS doc
       FROM unnest($1::uuid[], $2::int[], $3::text[]) WITH ORDINALITY AS k(version_id, take, after_id, n)
       CROSS JOIN LATERAL ${entryGraphFrom('k.version_id', 'k.take', 'k.after_id')}`,
    keys.map((k) => k.catalogVersionId),
    keys.map((k) => k.take),
    keys.map((k) => k.afterId ?? ''),
  );
  const graphs = keys.map(emptyGraph);
  for (const t of JSON.parse(answer!.doc) as unknown[][]) {
    const rows = entryGraphRows(t);
    addRows(graphs[rows.page - 1]!, rows);
  }
  return new Map(keys.map((k, i) => [pageKey(k), graphs[i]!]));
}

/** The version a selector picks, for each `k` (`k.channel_id`, `k.version`, `k.at`): a LATERAL. */
const VERSION_OF_SELECTOR = `(
  SELECT * FROM "catalog"."catalog_version" c
   WHERE c.channel_id = k.channel_id
     AND CASE WHEN k.version > 0 THEN c.version = k.version
              ELSE c.effective_at <= COALESCE(NULLIF(k.at, '')::timestamptz, now()) END
   ORDER BY c.version DESC LIMIT 1) v`;

/** Puts a page's offerings, versions, SKUs, products and manufacturers into the request's loaders. */
function prime(loaders: EntryGraphLoaders, graph: EntryGraph): void {
  for (const row of graph.offerings) loaders.offering.prime(row.id, row);
  for (const row of graph.offeringVersions) loaders.offeringVersion.prime(row.id, row);
  for (const row of graph.skus) loaders.sku.prime(row.id, row);
  for (const row of graph.products) loaders.product.prime(row.id, row);
  for (const row of graph.manufacturers) loaders.organizationView.prime(row.id, row);
}

/** A catalog selector and the page of entries the query reads of the version it picks. */
export interface CatalogPageSelector extends CatalogSelector {
  take: number;
  afterId: string | null;
  graph: boolean;
}

export function catalogLoaders(prisma: CatalogPrisma, entryGraph: EntryGraphLoaders) {
  const cachedVersion = (s: CatalogSelector) =>
    s.version ? (immutableCatalog.get(versionKey(s)) as CatalogVersionRow | undefined) : undefined;
  /** a version row read by selector; one asked for by number, once it exists, is that row for good */
  const keepVersion = (s: CatalogSelector, row: CatalogVersionRow) => {
    if (s.version) immutableCatalog.set(versionKey(s), row);
  };
  /** a page read from the database: held when immutable, its neighbours primed */
  const takePage = (k: VersionPageKey, page: EntryGraph): CatalogEntryRow[] => {
    // held pages are the same rows (immutable): measuring one again costs a print of it
    if (!immutableCatalog.has(versionPageKey(k)))
      immutableCatalog.set(versionPageKey(k), {
        entries: page.entries,
        offeringVersions: page.offeringVersions,
      });
    prime(entryGraph, page);
    return page.entries;
  };

  /** one statement for any number of channels and selectors */
  const catalogOf = new DataLoader<CatalogSelector, CatalogVersionRow | null, string>(
    async (selectors) => {
      const valid = selectors.filter((s) => uuidsOnly([s.channelId]).length && !cachedVersion(s));
      if (!valid.length) return selectors.map((s) => cachedVersion(s) ?? null);
      const rows = await prisma.$read<CatalogVersionRow & { key: string }>(
        `SELECT k.key, ${VERSION_COLUMNS}
           FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) AS k(key, channel_id, version, at)
           CROSS JOIN LATERAL ${VERSION_OF_SELECTOR}`,
        valid.map(selectorKey),
        valid.map((s) => s.channelId),
        valid.map((s) => s.version ?? 0),
        valid.map((s) => (s.at ? s.at.toISOString() : '')),
      );
      const byKey = new Map(rows.map(({ key, ...row }) => [key, row as CatalogVersionRow]));
      return selectors.map((s) => {
        const row = byKey.get(selectorKey(s));
        if (row) keepVersion(s, row);
        return row ?? cachedVersion(s) ?? null;
      });
    },
    { cacheKeyFn: selectorKey },
  );

  /**
   * pages of entries (`take + 1` rows after the cursor) of any number of versions; what the
   * entries' fields read comes with them (one statement, however large the pages)
   */
  const entryPage = new DataLoader<VersionPageKey, CatalogEntryRow[], string>(
    async (keys) => {
      // only pages whose mutable neighbours are read, or not held yet, cost a statement
      const read = keys.filter((k) => k.graph || !immutableCatalog.has(versionPageKey(k)));
      const pages = read.length ? await readEntryPages(prisma, read) : undefined;
      return keys.map((k) => {
        const page = pages?.get(pageKey(k));
        if (page) return takePage(k, page);
        const held = immutableCatalog.get(versionPageKey(k)) as ImmutablePage | undefined;
        if (!held) return [];
        for (const row of held.offeringVersions) entryGraph.offeringVersion.prime(row.id, row);
        return held.entries;
      });
    },
    { cacheKeyFn: (k) => `${versionPageKey(k)}|${k.graph}` },
  );

  return {
    catalogVersionsOf: groupLoader<string, CatalogVersionRow>(
      (channelIds) =>
        prisma.catalogVersion.findMany({
          where: { channelId: { in: uuidsOnly(channelIds) } },
          orderBy: [{ channelId: 'asc' }, { version: 'asc' }],
        }),
      (v) => v.channelId,
    ),
    catalogOf,
    entryPage,
    /**
     * The version a selector picks and the page of its entries the query goes on to read, in
     * one statement for any number of channels (the page costs no round trip of its own): the
     * version answers `catalogOf`, the page `entryPage`. A version asked for by number that is
     * held already goes the two loaders' way (its page may be held too).
     */
    catalogWithPage: new DataLoader<CatalogPageSelector, CatalogVersionRow | null, string>(
      async (selectors) => {
        const valid = selectors.filter((s) => uuidsOnly([s.channelId]).length && !cachedVersion(s));
        const rows = valid.length
          ? await prisma.$read<CatalogVersionRow & { key: string; doc: string }>(
              `SELECT k.key, ${VERSION_COLUMNS},
                      (SELECT coalesce(json_agg(${ENTRY_GRAPH.jsonArray} ORDER BY e.id), '[]')::text
                         FROM ${entryGraphFrom('v.id', 'k.take', 'k.after_id')}) AS doc
                 FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[])
                        WITH ORDINALITY AS k(key, channel_id, version, at, take, after_id, n)
                 CROSS JOIN LATERAL ${VERSION_OF_SELECTOR}`,
              valid.map(pageSelectorKey),
              valid.map((s) => s.channelId),
              valid.map((s) => s.version ?? 0),
              valid.map((s) => (s.at ? s.at.toISOString() : '')),
              valid.map((s) => s.take),
              valid.map((s) => s.afterId ?? ''),
            )
          : [];
        const byKey = new Map(rows.map((row) => [row.key, row]));
        return selectors.map((s) => {
          const answer = byKey.get(pageSelectorKey(s));
          // no such version (or a bad channel id), or one held already
          if (!answer) return cachedVersion(s) ?? null;
          const { key: _key, doc, ...row } = answer;
          const version = row as CatalogVersionRow;
          keepVersion(s, version);
          catalogOf.prime(s, version);
          const graph = emptyGraph();
          for (const t of JSON.parse(doc) as unknown[][]) addRows(graph, entryGraphRows(t));
          const page: VersionPageKey = {
            catalogVersionId: version.id,
            channelId: version.channelId,
            version: version.version,
            take: s.take,
            afterId: s.afterId,
            graph: s.graph,
          };
          entryPage.prime(page, takePage(page, graph));
          return version;
        });
      },
      { cacheKeyFn: (s) => pageSelectorKey(s) },
    ),
    catalogEntry: rowLoader<string, CatalogEntryRow>(
      (ids) => prisma.catalogEntry.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (e) => e.id,
    ),
  };
}

/** The channel's catalog head, locked until the transaction ends; created on first use. */
export async function lockHead(tx: CatalogTx, channelId: string) {
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
export function entriesOfVersion(
  tx: CatalogTx,
  channelId: string,
  version: number,
): Promise<EntrySeed[]> {
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
  tx: CatalogTx,
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
export async function insertCatalogVersion(tx: CatalogTx, v: NewCatalogVersion) {
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
