import { badInput, notFound, parseInput, writeAudit, writeOnce } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { SCHEMA } from '../context.js';

// The legacy API keeps its shape and values; its rows are the legacy tables.
const name = z.string().trim().min(1, 'name must not be empty').max(200);
const country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166 alpha-2 code')
  .nullish();
const website = z.url('website must be a URL').nullish();
const manufacturerInput = z.object({ name, country, website });
const supplierInput = z.object({ name, country });

// the legacy tables' ids are PostgreSQL integers (32 bits)
const MAX_LEGACY_ID = 2 ** 31 - 1;

function legacyId(id: string): number {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0 || n > MAX_LEGACY_ID)
    throw badInput('id', 'id must be a legacy numeric id');
  return n;
}

export const legacyResolvers: Resolvers = {
  Query: {
    manufacturers: (_, __, ctx) => ctx.prisma.manufacturer.findMany({ orderBy: { id: 'asc' } }),
    suppliers: (_, __, ctx) => ctx.prisma.supplier.findMany({ orderBy: { id: 'asc' } }),
  },
  Mutation: {
    async createManufacturer(_, { input }, ctx) {
      const data = parseInput(manufacturerInput, input);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'createManufacturer', input },
        async (tx) => {
          const row = await tx.manufacturer.create({ data });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'manufacturer.create',
            objectType: 'Manufacturer',
            objectId: String(row.id),
            after: row,
          });
          return row;
        },
      );
    },
    async updateManufacturer(_, { id, input }, ctx) {
      const data = parseInput(manufacturerInput.partial(), input);
      const key = legacyId(id);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'updateManufacturer', input: { id, input } },
        async (tx) => {
          const before = await tx.manufacturer.findUnique({ where: { id: key } });
          if (!before) throw notFound('manufacturer', id, 'id');
          const row = await tx.manufacturer.update({ where: { id: key }, data });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'manufacturer.update',
            objectType: 'Manufacturer',
            objectId: id,
            before,
            after: row,
          });
          return row;
        },
      );
    },
    async createSupplier(_, { input }, ctx) {
      const data = parseInput(supplierInput, input);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'createSupplier', input },
        async (tx) => {
          const row = await tx.supplier.create({ data });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'supplier.create',
            objectType: 'Supplier',
            objectId: String(row.id),
            after: row,
          });
          return row;
        },
      );
    },
    async updateSupplier(_, { id, input }, ctx) {
      const data = parseInput(supplierInput.partial(), input);
      const key = legacyId(id);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'updateSupplier', input: { id, input } },
        async (tx) => {
          const before = await tx.supplier.findUnique({ where: { id: key } });
          if (!before) throw notFound('supplier', id, 'id');
          const row = await tx.supplier.update({ where: { id: key }, data });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'supplier.update',
            objectType: 'Supplier',
            objectId: id,
            before,
            after: row,
          });
          return row;
        },
      );
    },
  },
};
