import { groupLoader, type Listed, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type { Offering, OfferingVersion } from '@trellis/prisma/catalog/generated/client.ts';
import type { CatalogPrisma, CatalogTx } from '../prisma.js';

export type OfferingRow = Offering;
export type OfferingVersionRow = OfferingVersion;
/** What a catalog page does not read of an offering (`offeringDetails` reads it on demand). */
export type OfferingDetail = 'draftDescription' | 'draftTerms' | 'createdAt' | 'updatedAt';
/** What a catalog page does not read of an offering version (`offeringVersionDetails`). */
export type OfferingVersionDetail = 'description' | 'terms' | 'publishedAt';
/** An offering as its fields resolve it: read whole, or by a catalog page without its details. */
export type ListedOffering = Listed<OfferingRow, OfferingDetail>;
export type ListedOfferingVersion = Listed<OfferingVersionRow, OfferingVersionDetail>;

const versionKey = (offeringId: string, version: number) => `${offeringId}#${version}`;

export function offeringLoaders(prisma: CatalogPrisma) {
  const versionByNumber = rowLoader<string, OfferingVersionRow>(
    async (keys) => {
      const pairs = keys.flatMap((key) => {
        const [offeringId = '', version = ''] = key.split('#');
        return uuidsOnly([offeringId]).length ? [{ offeringId, version: Number(version) }] : [];
      });
      return pairs.length ? prisma.offeringVersion.findMany({ where: { OR: pairs } }) : [];
    },
    (v) => versionKey(v.offeringId, v.version),
  );
  return {
    offering: rowLoader<string, ListedOffering>(
      (ids) => prisma.offering.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (o) => o.id,
    ),
    offeringDetails: rowLoader<string, Pick<OfferingRow, 'id' | OfferingDetail>>(
      (ids) =>
        prisma.offering.findMany({
          where: { id: { in: uuidsOnly(ids) } },
          select: {
            id: true,
            draftDescription: true,
            draftTerms: true,
            createdAt: true,
            updatedAt: true,
          },
        }),
      (o) => o.id,
    ),
    offeringVersion: rowLoader<string, ListedOfferingVersion>(
      (ids) => prisma.offeringVersion.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (v) => v.id,
    ),
    offeringVersionDetails: rowLoader<
      string,
      Pick<OfferingVersionRow, 'id' | OfferingVersionDetail>
    >(
      (ids) =>
        prisma.offeringVersion.findMany({
          where: { id: { in: uuidsOnly(ids) } },
          select: { id: true, description: true, terms: true, publishedAt: true },
        }),
      (v) => v.id,
    ),
    versionsOfOffering: groupLoader<string, OfferingVersionRow>(
      (ids) =>
        prisma.offeringVersion.findMany({
          where: { offeringId: { in: uuidsOnly(ids) } },
          orderBy: [{ offeringId: 'asc' }, { version: 'asc' }],
        }),
      (v) => v.offeringId,
    ),
    /** a version by offering and number, batched */
    offeringVersionByNumber: {
      load: (offeringId: string, version: number) =>
        versionByNumber.load(versionKey(offeringId, version)),
    },
  };
}

export async function listOfferings(
  prisma: CatalogPrisma,
  page: Page,
  filter: { sellerId?: string | null; skuId?: string | null },
) {
  const where = {
    ...(filter.sellerId ? { sellerOrgId: filter.sellerId } : {}),
    ...(filter.skuId ? { skuId: filter.skuId } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.offering.findMany(pageQuery(page, where)),
    prisma.offering.count({ where }),
  ]);
  return { rows, total };
}

/** The offering's draft and latest version number, the row locked until the transaction ends. */
export async function lockOffering(tx: CatalogTx, id: string) {
  const [row] = await tx.$queryRawUnsafe<
    { name: string; description: string | null; terms: unknown; latestVersion: number | null }[]
  >(
    `SELECT draft_name AS name, draft_description AS description, draft_terms AS terms,
            latest_version AS "latestVersion"
       FROM "catalog"."offering" WHERE id = $1::uuid FOR UPDATE`,
    id,
  );
  if (!row) throw new Error(`offering ${id} vanished`);
  return row;
}

/** The id of the seller's offering of a SKU (one per seller and SKU), if any. */
export async function offeringIdOf(prisma: CatalogPrisma, sellerOrgId: string, skuId: string) {
  const row = await prisma.offering.findFirst({
    where: { sellerOrgId, skuId },
    select: { id: true },
  });
  return row?.id;
}
