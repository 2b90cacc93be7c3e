import { badInput, conflict, notFound, requireActsFor, requireReferences } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { createProductInput, createSkuInput, manufacturerProblem } from './rules.js';

export const createProduct = defineCommand({
  name: 'createProduct',
  args: z.object({ input: createProductInput }),
  async authorize(ctx, { input }) {
    const problem = manufacturerProblem(
      await ctx.loaders.organizationView.load(input.manufacturerId),
    );
    if (problem === 'no such organization')
      throw notFound('organization', input.manufacturerId, 'input.manufacturerId');
    if (problem) throw badInput('input.manufacturerId', problem);
    requireActsFor(ctx.caller, input.manufacturerId);
  },
  async run(tx, { input }) {
    // the organization may have changed since it was read: checked again in the transaction
    await requireReferences(tx, [
      {
        view: 'org_graph.organization_v1',
        id: input.manufacturerId,
        what: 'organization',
        field: 'input.manufacturerId',
      },
    ]);
    const product = await tx.product.create({
      data: {
        manufacturerId: input.manufacturerId,
        name: input.name,
        description: input.description ?? null,
        attributes: (input.attributes ?? {}) as object,
      },
    });
    return {
      result: product,
      audit: {
        action: 'product.create',
        objectType: 'Product',
        objectId: product.id,
        after: product,
      },
    };
  },
});

export const createSku = defineCommand({
  name: 'createSku',
  args: z.object({ input: createSkuInput }),
  async authorize(ctx, { input }) {
    const product = await ctx.loaders.product.load(input.productId);
    if (!product) throw notFound('product', input.productId, 'input.productId');
    requireActsFor(ctx.caller, product.manufacturerId);
    return product;
  },
  async run(tx, { input }, product) {
    const sku = await tx.sku.create({
      data: {
        productId: product.id,
        code: input.code,
        name: input.name,
        attributes: (input.attributes ?? {}) as object,
      },
    });
    return {
      result: sku,
      audit: { action: 'sku.create', objectType: 'Sku', objectId: sku.id, after: sku },
    };
  },
  onDuplicate: ({ input }) =>
    conflict(`a SKU with code "${input.code}" already exists`, { field: 'input.code' }),
});
