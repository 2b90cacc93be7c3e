import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type { Product, Sku } from '@trellis/prisma/catalog/generated/client.ts';
import type { CatalogPrisma } from '../prisma.js';

export type ProductRow = Product;
export type SkuRow = Sku;

export function productLoaders(prisma: CatalogPrisma) {
  return {
    product: rowLoader<string, ProductRow>(
      (ids) => prisma.product.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (p) => p.id,
    ),
    sku: rowLoader<string, SkuRow>(
      (ids) => prisma.sku.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
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
