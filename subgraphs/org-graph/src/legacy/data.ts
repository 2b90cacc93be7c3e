import type { Manufacturer, Supplier } from '@trellis/prisma/org-graph/generated/client.ts';

export type ManufacturerRow = Manufacturer;
export type SupplierRow = Supplier;
