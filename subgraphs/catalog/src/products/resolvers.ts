import { detailOf, idOf, mapNow, pageOf, parseInput, toConnection } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createProduct, createSku } from './commands.js';
import { listProducts, listSkus } from './product-store.js';

export const productResolvers: Resolvers = {
  Query: {
    async products(_, args, ctx) {
      const page = pageOf(args);
      const { manufacturerId } = parseInput(
        z.object({ manufacturerId: idOf('an organization').nullish() }),
        args,
        '',
      );
      const { rows, total } = await listProducts(ctx.prisma, page, manufacturerId);
      return toConnection(rows, page, total);
    },
    product: (_, { id }, ctx) => ctx.loaders.product.load(id),
    async skus(_, args, ctx) {
      const page = pageOf(args);
      const { productId } = parseInput(
        z.object({ productId: idOf('a product').nullish() }),
        args,
        '',
      );
      const { rows, total } = await listSkus(ctx.prisma, page, productId);
      return toConnection(rows, page, total);
    },
    sku: (_, { id }, ctx) => ctx.loaders.sku.load(id),
  },
  Mutation: { createProduct, createSku },
  Product: {
    __resolveReference: (ref, ctx) => ctx.loaders.product.load(ref.id),
    // with its name (@provides): held since an entry page was read, else one statement for
    // the tick's manufacturers
    manufacturer: (p, _, ctx) =>
      mapNow(ctx.loaders.organizationView.loadNow(p.manufacturerId), (org) =>
        org ? { id: org.id, name: org.name } : { id: p.manufacturerId },
      ),
    skus: (p, _, ctx) => ctx.loaders.skusOfProduct.load(p.id),
    description: (p, _, ctx) => detailOf(p, 'description', ctx.loaders.productDetails),
    attributes: (p, _, ctx) => detailOf(p, 'attributes', ctx.loaders.productDetails),
    createdAt: (p, _, ctx) => detailOf(p, 'createdAt', ctx.loaders.productDetails),
  },
  Sku: {
    __resolveReference: (ref, ctx) => ctx.loaders.sku.load(ref.id),
    product: (s, _, ctx) => ctx.loaders.product.loadRequired(s.productId),
    attributes: (s, _, ctx) => detailOf(s, 'attributes', ctx.loaders.skuDetails),
    createdAt: (s, _, ctx) => detailOf(s, 'createdAt', ctx.loaders.skuDetails),
  },
};
