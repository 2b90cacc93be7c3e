import { conflict } from '@trellis/kit';

/** A new rule would tie exactly with an existing one of the same book (CONFLICT naming it). */
export const overlappingRule = (
  other: { id: string; window: string },
  rule: { skuId: string; minQuantity: number },
) =>
  conflict(
    `rule ${other.id} of this book already prices SKU ${rule.skuId} from quantity ${rule.minQuantity} in an overlapping window ${other.window}; give the new rule a window that does not overlap it, or another minimum quantity`,
    { conflictingRuleId: other.id },
  );
