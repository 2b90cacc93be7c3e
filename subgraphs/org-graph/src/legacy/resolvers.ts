import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  createManufacturer,
  createSupplier,
  updateManufacturer,
  updateSupplier,
} from './commands.js';

export const legacyResolvers: Resolvers = {
  Query: {
    manufacturers: (_, __, ctx) => ctx.prisma.manufacturer.findMany({ orderBy: { id: 'asc' } }),
    suppliers: (_, __, ctx) => ctx.prisma.supplier.findMany({ orderBy: { id: 'asc' } }),
  },
  Mutation: { createManufacturer, updateManufacturer, createSupplier, updateSupplier },
};
