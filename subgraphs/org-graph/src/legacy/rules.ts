import { badInput, type Caller, forbidden, hasScope, isAdmin } from '@trellis/kit';
import countries from 'i18n-iso-countries';
import { z } from 'zod';

// The legacy API keeps its shape and values; its rows are the legacy tables.
const name = z.string().trim().min(1, 'name must not be empty').max(200);
const country = z
  .string()
  .refine((c) => /^[A-Z]{2}$/.test(c) && countries.isValid(c), {
    message: 'country must be an ISO 3166-1 alpha-2 code',
  })
  .nullish();
// only http(s): a `javascript:` or `data:` URL stored here would run in every legacy client
const website = z
  .url({
    protocol: /^https?$/,
    hostname: z.regexes.domain,
    error: 'website must be an http(s) URL',
  })
  .max(2000)
  .nullish();
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

/** The legacy kinds and the organization type each mirrors into (docs/coexistence.md). */
export const LEGACY_KINDS = ['manufacturer', 'supplier'] as const;
export type LegacyKind = (typeof LEGACY_KINDS)[number];
const ORG_TYPES = ['MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER'] as const;
export type MirroredOrgType = (typeof ORG_TYPES)[number];

const mappingConfig = z
  .object({
    LEGACY_MANUFACTURER_ORG_TYPE: z.enum(ORG_TYPES).default('MANUFACTURER'),
    LEGACY_SUPPLIER_ORG_TYPE: z.enum(ORG_TYPES).default('DISTRIBUTOR'),
  })
  .transform(
    (c): Record<LegacyKind, MirroredOrgType> => ({
      manufacturer: c.LEGACY_MANUFACTURER_ORG_TYPE,
      supplier: c.LEGACY_SUPPLIER_ORG_TYPE,
    }),
  );

/** The organization type a new mirror of each kind gets; configurable per environment. */
export const legacyOrgTypes = (env: Record<string, string | undefined> = process.env) =>
  mappingConfig.parse(env);

/** The share of legacy reads compared with the org graph while reads stay legacy (Scientist). */
export const shadowReadShare = (env: Record<string, string | undefined> = process.env) =>
  z.coerce.number().min(0).max(1).default(0).parse(env.LEGACY_SHADOW_READ_SHARE);

/**
 * Who may write a legacy row: an integration with `legacy:write`, an administrator, or the
 * owning organization (the row's mirror) with `org:write`. Nothing one organization declares
 * makes another's row its own: an unmapped row has no owner organization.
 */
export function requireLegacyWriter(caller: Caller, ownerOrgId: string | null): void {
  if (isAdmin(caller) || caller.scopes.has('legacy:write')) return;
  if (ownerOrgId && caller.orgId === ownerOrgId && hasScope(caller, 'org:write')) return;
  throw forbidden(
    ownerOrgId
      ? 'this legacy row belongs to another organization'
      : 'this legacy row has no owner organization yet: it needs the scope legacy:write',
  );
}

/** One legacy answer row, as the legacy API shows it (manufacturers also have a website). */
export interface LegacyRow {
  id: number;
  name: string;
  country: string | null;
  website?: string | null;
}

export type MismatchKind = 'missing' | 'extra' | 'field';
export interface Mismatch {
  kind: MismatchKind;
  legacyKind: LegacyKind;
  id: number | string;
  field?: string;
  legacy?: unknown;
  mirrored?: unknown;
}

/**
 * Compares the legacy rows with what the org graph answers for them (both ordered by id):
 * a legacy row without mirror is `missing`, a mirror without legacy row (`extraIds`: profiles
 * outside the crosswalk, or mapped ids the legacy list lacks) `extra`, a differing value `field`.
 */
export function compareLegacy(
  legacyKind: LegacyKind,
  legacy: readonly LegacyRow[],
  mirrored: readonly LegacyRow[],
  extraIds: readonly string[] = [],
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const byId = new Map(mirrored.map((r) => [r.id, r]));
  for (const row of legacy) {
    const mirror = byId.get(row.id);
    byId.delete(row.id);
    if (!mirror) {
      mismatches.push({ kind: 'missing', legacyKind, id: row.id });
      continue;
    }
    for (const field of ['name', 'country', 'website'] as const) {
      if (!(field in row)) continue;
      const a = row[field] ?? null;
      const b = mirror[field] ?? null;
      if (a !== b)
        mismatches.push({ kind: 'field', legacyKind, id: row.id, field, legacy: a, mirrored: b });
    }
  }
  for (const id of byId.keys()) mismatches.push({ kind: 'extra', legacyKind, id });
  for (const id of extraIds) mismatches.push({ kind: 'extra', legacyKind, id });
  return mismatches;
}
