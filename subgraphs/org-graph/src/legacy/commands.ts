import { type AuditEntry, type DomainEvent, isAdmin, notFound, type Written } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import type { OrgGraphTx } from '../prisma.js';
import {
  type LegacyTable,
  type LegacyTables,
  MANUFACTURERS,
  type Mirror,
  manufacturers,
  ownerOf,
  SUPPLIERS,
  suppliers,
  writeMirror,
} from './legacy-store.js';
import { dualWriteCounter } from './metrics.js';
import {
  type LegacyRow,
  legacyId,
  legacyOrgTypes,
  manufacturerInput,
  requireLegacyWriter,
  supplierInput,
} from './rules.js';

const ORG_TYPES = legacyOrgTypes();

/** The answers whose write was mirrored (counted once committed, `onWritten`). */
const mirroredAnswers = new WeakSet<object>();

/**
 * The legacy write, then (ENABLE_DUAL_WRITE on for the caller's organization) its mirror in
 * the same transaction: a failing mirror fails the whole write (counted), nothing diverges.
 * Audited and evented: the legacy row's change, and the organization's when mirrored.
 */
async function writeLegacy<Row extends LegacyRow>(
  tx: OrgGraphTx,
  ctx: Context,
  t: LegacyTables,
  write: () => Promise<Row>,
  legacyAudit: (row: Row) => AuditEntry,
): Promise<Written<Row>> {
  const row = await write();
  const audit = legacyAudit(row);
  if (!(await ctx.flags.isEnabled('ENABLE_DUAL_WRITE', ctx.caller.orgId)))
    return { result: row, audit };
  let mirror: Mirror;
  try {
    mirror = await writeMirror(tx, t, row, ORG_TYPES[t.kind]);
  } catch (error) {
    dualWriteCounter(ctx.metrics).inc({ outcome: 'failed' });
    ctx.logger.error({ err: error, legacyKind: t.kind, legacyId: row.id }, 'dual-write failed');
    throw error;
  }
  mirroredAnswers.add(row);
  const after = { id: mirror.orgId, name: mirror.name, type: mirror.type, ...mirror.profile };
  const legacy = { kind: t.kind, id: row.id };
  const event: DomainEvent = {
    type: mirror.created ? 'organization.created' : 'organization.updated',
    aggregateType: 'Organization',
    aggregateId: mirror.orgId,
    orgId: mirror.orgId,
    payload: { ...after, legacy },
  };
  return {
    result: row,
    audit: [
      audit,
      {
        action: mirror.created ? 'organization.create' : 'organization.update',
        objectType: 'Organization',
        objectId: mirror.orgId,
        after: { ...after, legacy, via: 'DUAL_WRITE' },
      },
    ],
    // the outbox takes events from an organization or an administrator (its row-level
    // security): an org-less integration's mirrored write is audited, not evented
    events: ctx.caller.orgId || isAdmin(ctx.caller) ? [event] : [],
  };
}

const countMirrored = (ctx: Context, result: object) => {
  if (mirroredAnswers.has(result)) dualWriteCounter(ctx.metrics).inc({ outcome: 'ok' });
};

/** `create<Type>` and `update<Type>` of a legacy table, audited as `<what>.create|update`. */
function legacyCommands<Row extends LegacyRow, Data>(spec: {
  tables: LegacyTables;
  input: z.ZodType<Data>;
  changes: z.ZodType<Partial<Data>>;
  table: LegacyTable<Row, Data>;
}) {
  const { tables: t, table } = spec;
  const { kind: what, type } = t;
  return {
    create: defineCommand({
      name: `create${type}`,
      args: z.object({ input: spec.input }),
      run: (tx, { input }, _, ctx) =>
        writeLegacy(
          tx,
          ctx,
          t,
          () => table.create(tx, input),
          (row) => ({
            action: `${what}.create`,
            objectType: type,
            objectId: String(row.id),
            after: row,
          }),
        ),
      onWritten: (ctx, result) => countMirrored(ctx, result),
    }),
    update: defineCommand({
      name: `update${type}`,
      args: z.object({ id: z.string(), input: spec.changes }),
      // after the input's checks, as ever; then the row's owner (FORBIDDEN, audited)
      async authorize(ctx, { id }) {
        const key = legacyId(id);
        requireLegacyWriter(ctx.caller, await ownerOf(ctx.prisma, t, key));
        return key;
      },
      async run(tx, { id, input }, key, ctx) {
        const before = await table.find(tx, key);
        if (!before) throw notFound(what, id, 'id');
        return writeLegacy(
          tx,
          ctx,
          t,
          () => table.update(tx, key, input),
          (row) => ({
            action: `${what}.update`,
            objectType: type,
            objectId: id,
            before,
            after: row,
          }),
        );
      },
      onWritten: (ctx, result) => countMirrored(ctx, result),
    }),
  };
}

export const { create: createManufacturer, update: updateManufacturer } = legacyCommands({
  tables: MANUFACTURERS,
  input: manufacturerInput,
  changes: manufacturerInput.partial(),
  table: manufacturers,
});

export const { create: createSupplier, update: updateSupplier } = legacyCommands({
  tables: SUPPLIERS,
  input: supplierInput,
  changes: supplierInput.partial(),
  table: suppliers,
});
