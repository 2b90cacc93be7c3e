import { isCurrency, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

export const createChannelInput = z.object({
  ownerOrgId: z.uuid('must be an organization id'),
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Z0-9][A-Z0-9_-]{1,63}$/,
      'code must be 2-64 upper-case letters, digits, "-" or "_"',
    ),
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  currency: z.string().refine(isCurrency, 'currency must be an ISO 4217 code such as "EUR"'),
  regions: z
    .array(z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"'))
    .nullish()
    .transform((r) => [...new Set(r ?? [])].sort()),
  idempotencyKey: z.string().nullish(),
});
