import {
  badInput,
  conflict,
  idOf,
  mapNow,
  notFound,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  requireReferences,
  toConnection,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { SCHEMA } from '../context.js';
import { listProducts, listSkus } from './data.js';
import { createProductInput, createSkuInput, manufacturerProblem } from './rules.js';

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
  Mutation: {
    async createProduct(_, { input }, ctx) {
      const data = parseInput(createProductInput, input);
      const problem = manufacturerProblem(
        await ctx.loaders.organizationView.load(data.manufacturerId),
      );
      if (problem === 'no such organization')
        throw notFound('organization', data.manufacturerId, 'input.manufacturerId');
      if (problem) throw badInput('input.manufacturerId', problem);
      requireActsFor(ctx.caller, data.manufacturerId);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'createProduct', key: data.idempotencyKey, input },
        async (tx) => {
          await requireReferences(tx, [
            {
              view: 'org_graph.organization_v1',
              id: data.manufacturerId,
              what: 'organization',
              field: 'input.manufacturerId',
            },
          ]);
          const product = await tx.product.create({
            data: {
              manufacturerId: data.manufacturerId,
              name: data.name,
              description: data.description ?? null,
              attributes: (data.attributes ?? {}) as object,
            },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'product.create',
            objectType: 'Product',
            objectId: product.id,
            after: product,
          });
          return product;
        },
      );
    },
    async createSku(_, { input }, ctx) {
      const data = parseInput(createSkuInput, input);
      const product = await ctx.loaders.product.load(data.productId);
      if (!product) throw notFound('product', data.productId, 'input.productId');
      requireActsFor(ctx.caller, product.manufacturerId);
      return onDuplicate(
        writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'createSku', key: data.idempotencyKey, input },
          async (tx) => {
            const sku = await tx.sku.create({
              data: {
                productId: product.id,
                code: data.code,
                name: data.name,
                attributes: (data.attributes ?? {}) as object,
              },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'sku.create',
              objectType: 'Sku',
              objectId: sku.id,
              after: sku,
            });
            return sku;
          },
        ),
        () => conflict(`a SKU with code "${data.code}" already exists`, { field: 'input.code' }),
      );
    },
  },
  Product: {
    __resolveReference: (ref, ctx) => ctx.loaders.product.load(ref.id),
    // with its name (@provides): held since an entry page was read, else one statement for
    // the tick's manufacturers
    manufacturer: (p, _, ctx) =>
      mapNow(ctx.loaders.organizationView.loadNow(p.manufacturerId), (org) =>
        org ? { id: org.id, name: org.name } : { id: p.manufacturerId },
      ),
    skus: (p, _, ctx) => ctx.loaders.skusOfProduct.load(p.id),
  },
  Sku: {
    __resolveReference: (ref, ctx) => ctx.loaders.sku.load(ref.id),
    product: (s, _, ctx) => ctx.loaders.product.loadRequired(s.productId),
  },
};
