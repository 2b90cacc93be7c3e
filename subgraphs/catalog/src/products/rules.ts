import { z } from 'zod';

const attributes = z.record(z.string(), z.unknown()).nullish();

export const createProductInput = z.object({
  manufacturerId: z.uuid('must be an organization id'),
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  description: z.string().max(5000).nullish(),
  attributes,
  idempotencyKey: z.string().nullish(),
});

export const createSkuInput = z.object({
  productId: z.uuid('must be a product id'),
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Z0-9][A-Z0-9._-]{1,63}$/,
      'code must be 2-64 upper-case letters, digits, ".", "-" or "_"',
    ),
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  attributes,
  idempotencyKey: z.string().nullish(),
});

/** Why this organization cannot own products, or null. */
export function manufacturerProblem(org: { type: string; status: string } | null): string | null {
  if (!org) return 'no such organization';
  if (org.type !== 'MANUFACTURER') return `products belong to a MANUFACTURER, not a ${org.type}`;
  if (org.status !== 'ACTIVE') return 'the manufacturer is not active';
  return null;
}
