import { created, notFound } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { type LegacyTable, manufacturers, suppliers } from './legacy-store.js';
import { legacyId, manufacturerInput, supplierInput } from './rules.js';

/** `create<Type>` and `update<Type>` of a legacy table, audited as `<what>.create|update`. */
function legacyCommands<Row extends { id: number }, Data>(spec: {
  what: string;
  type: string;
  input: z.ZodType<Data>;
  changes: z.ZodType<Partial<Data>>;
  table: LegacyTable<Row, Data>;
}) {
  const { what, type, table } = spec;
  return {
    create: defineCommand({
      name: `create${type}`,
      args: z.object({ input: spec.input }),
      async run(tx, { input }) {
        const row = await table.create(tx, input);
        return created(row, { action: `${what}.create`, objectType: type });
      },
    }),
    update: defineCommand({
      name: `update${type}`,
      args: z.object({ id: z.string(), input: spec.changes }),
      // after the input's checks, as ever
      authorize: (_, { id }) => legacyId(id),
      async run(tx, { id, input }, key) {
        const before = await table.find(tx, key);
        if (!before) throw notFound(what, id, 'id');
        const row = await table.update(tx, key, input);
        return {
          result: row,
          audit: { action: `${what}.update`, objectType: type, objectId: id, before, after: row },
        };
      },
    }),
  };
}

export const { create: createManufacturer, update: updateManufacturer } = legacyCommands({
  what: 'manufacturer',
  type: 'Manufacturer',
  input: manufacturerInput,
  changes: manufacturerInput.partial(),
  table: manufacturers,
});

export const { create: createSupplier, update: updateSupplier } = legacyCommands({
  what: 'supplier',
  type: 'Supplier',
  input: supplierInput,
  changes: supplierInput.partial(),
  table: suppliers,
});
