import type { Manufacturer, Prisma, Supplier } from '@trellis/prisma/org-graph/generated/client.ts';
import type { OrgGraphTx } from '../prisma.js';

export type ManufacturerRow = Manufacturer;
export type SupplierRow = Supplier;

/** The writes of one legacy table (integer ids): the legacy commands are the same for each. */
export interface LegacyTable<Row, Data> {
  create(tx: OrgGraphTx, data: Data): Promise<Row>;
  find(tx: OrgGraphTx, id: number): Promise<Row | null>;
  update(tx: OrgGraphTx, id: number, data: Partial<Data>): Promise<Row>;
}

export const manufacturers: LegacyTable<ManufacturerRow, Prisma.ManufacturerCreateInput> = {
  create: (tx, data) => tx.manufacturer.create({ data }),
  find: (tx, id) => tx.manufacturer.findUnique({ where: { id } }),
  update: (tx, id, data) => tx.manufacturer.update({ where: { id }, data }),
};

export const suppliers: LegacyTable<SupplierRow, Prisma.SupplierCreateInput> = {
  create: (tx, data) => tx.supplier.create({ data }),
  find: (tx, id) => tx.supplier.findUnique({ where: { id } }),
  update: (tx, id, data) => tx.supplier.update({ where: { id }, data }),
};
