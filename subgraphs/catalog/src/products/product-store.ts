import { groupLoader, type Listed, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type { Product, Sku } from '@trellis/prisma/catalog/generated/client.ts';
import type { CatalogPrisma } from '../prisma.js';

export type ProductRow = Product;
export type SkuRow = Sku;
/** What a catalog page does not read of a product (`productDetails` reads it on demand). */
export type ProductDetail = 'description' | 'attributes' | 'createdAt' | 'updatedAt';
/** What a catalog page does not read of a SKU (`skuDetails`). */
export type SkuDetail = 'attributes' | 'createdAt' | 'updatedAt';
/** A product as its fields resolve it: read whole, or by a catalog page without its details. */
export type ListedProduct = Listed<ProductRow, ProductDetail>;
export type ListedSku = Listed<SkuRow, SkuDetail>;

export function productLoaders(prisma: CatalogPrisma) {
  return {
    product: rowLoader<string, ListedProduct>(
      (ids) => prisma.product.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (p) => p.id,
    ),
    productDetails: rowLoader<string, Pick<ProductRow, 'id' | ProductDetail>>(
      (ids) =>
        prisma.product.findMany({
          where: { id: { in: uuidsOnly(ids) } },
          select: {
            id: true,
            description: true,
            attributes: true,
            createdAt: true,
            updatedAt: true,
          },
        }),
      (p) => p.id,
    ),
    sku: rowLoader<string, ListedSku>(
      (ids) => prisma.sku.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (s) => s.id,
    ),
    skuDetails: rowLoader<string, Pick<SkuRow, 'id' | SkuDetail>>(
      (ids) =>
        prisma.sku.findMany({
          where: { id: { in: uuidsOnly(ids) } },
          select: { id: true, attributes: true, createdAt: true, updatedAt: true },
        }),
      (s) => s.id,
    ),
    skusOfProduct: groupLoader<string, SkuRow>(
      (ids) =>
        prisma.sku.findMany({
          where: { productId: { in: uuidsOnly(ids) } },
          orderBy: { id: 'asc' },
        }),
      (s) => s.productId,
    ),
  };
}

export async function listProducts(
  prisma: CatalogPrisma,
  page: Page,
  manufacturerId?: string | null,
) {
  const where = manufacturerId ? { manufacturerId } : {};
  const [rows, total] = await Promise.all([
    prisma.product.findMany(pageQuery(page, where)),
    prisma.product.count({ where }),
  ]);
  return { rows, total };
}

export async function listSkus(prisma: CatalogPrisma, page: Page, productId?: string | null) {
  const where = productId ? { productId } : {};
  const [rows, total] = await Promise.all([
    prisma.sku.findMany(pageQuery(page, where)),
    prisma.sku.count({ where }),
  ]);
  return { rows, total };
}
