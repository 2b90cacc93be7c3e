import { conflict } from '@trellis/kit';

/** A seller offers a SKU once: the offering it has is edited, not created again. */
export const alreadyOffered = (
  seller: { name: string },
  sku: { code: string },
  offeringId: string | undefined,
) =>
  conflict(
    `${seller.name} already offers SKU ${sku.code} (offering ${offeringId}); edit its draft instead`,
    { field: 'input.skuId', offeringId },
  );
