import { badInput } from '@trellis/kit';
import { z } from 'zod';

// The legacy API keeps its shape and values; its rows are the legacy tables.
const name = z.string().trim().min(1, 'name must not be empty').max(200);
const country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166 alpha-2 code')
  .nullish();
const website = z.url('website must be a URL').nullish();
export const manufacturerInput = z.object({ name, country, website });
export const supplierInput = z.object({ name, country });

// the legacy tables' ids are PostgreSQL integers (32 bits)
const MAX_LEGACY_ID = 2 ** 31 - 1;

/** The row id a legacy id argument names, or BAD_USER_INPUT (its own message, as ever). */
export function legacyId(id: string): number {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0 || n > MAX_LEGACY_ID)
    throw badInput('id', 'id must be a legacy numeric id');
  return n;
}
