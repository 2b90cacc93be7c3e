import { notFound } from './errors.js';
import type { RawTx } from './tenant.js';

/** A write's reference to another slice's entity, by id, in the `id` column of a published view. */
export interface Reference {
  /** `<schema>.<name>_v<N>`: the view the other slice publishes (docs/security.md) */
  view: `${string}.${string}_v${number}`;
  id: string;
  /** what it is, for the message ("SKU", "organization") */
  what: string;
  /** the argument path that named it (`input.skuId`) */
  field: string;
}

const quoted = (view: Reference['view']) =>
  view
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');

/**
 * Checks, inside the write's transaction, that every referenced entity exists in its slice's
 * published view: the first unknown one refuses the write with NOT_FOUND naming its field, so
 * nothing is written. Slices own separate schemas, so no foreign key can do this.
 */
export async function requireReferences(tx: RawTx, refs: readonly Reference[]): Promise<void> {
  for (const ref of refs) {
    const found = await tx.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM ${quoted(ref.view)} WHERE "id" = $1::uuid`,
      ref.id,
    );
    if (found.length === 0) throw notFound(ref.what, ref.id, ref.field);
  }
}
