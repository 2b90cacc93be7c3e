import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  createManufacturer,
  createSupplier,
  updateManufacturer,
  updateSupplier,
} from './commands.js';
import {
  MANUFACTURERS,
  type ManufacturerRow,
  SUPPLIERS,
  type SupplierRow,
} from './legacy-store.js';
import { readLegacy } from './reads.js';

export const legacyResolvers: Resolvers = {
  Query: {
    manufacturers: (_, __, ctx) => readLegacy<ManufacturerRow>(ctx, MANUFACTURERS),
    suppliers: (_, __, ctx) => readLegacy<SupplierRow>(ctx, SUPPLIERS),
  },
  Mutation: { createManufacturer, updateManufacturer, createSupplier, updateSupplier },
};
