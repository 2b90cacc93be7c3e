import { REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

export type OrgRole = 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
export const ORG_ROLES = ['MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER'] as const;

/** An issue type such as "NO_COOLING" or "leak". */
export const ISSUE_TYPE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A sorted set of strings; absent or null means "any" (the empty list). */
const set = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((values) => [...new Set(values ?? [])].sort());

/** A policy's conditions (validated JSONB). An empty list means any. */
export const conditionsSchema = z.object({
  productIds: set(z.uuid('must be a product id')),
  skuIds: set(z.uuid('must be a SKU id')),
  regions: set(z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"')),
  issueTypes: set(z.string().regex(ISSUE_TYPE, 'must be an issue type code such as "NO_COOLING"')),
});
export type PolicyConditions = z.output<typeof conditionsSchema>;

/**
 * The conditions stored with a policy, normalized. Stored JSON is written through
 * `conditionsSchema`; anything unreadable is answered null (a bug the caller reports).
 */
export function readConditions(stored: unknown): PolicyConditions | null {
  const parsed = conditionsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

/** Arguments of `servicePolicies`. */
export const servicePoliciesArgs = z.object({
  manufacturerId: z.uuid('must be an organization id').nullish(),
});
