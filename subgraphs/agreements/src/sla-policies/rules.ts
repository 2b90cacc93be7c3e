import { type Caller, idOf, isAdmin } from '@trellis/kit';
import { z } from 'zod';

export const slaPoliciesArgs = z.object({ orgId: idOf('an organization').nullish() });

/**
 * An SLA policy is visible to its organization, to the parties of the agreements that apply it
 * (`partyOrgIds`), and to admin.
 */
export function canSeeSlaPolicy(
  caller: Caller,
  ownerOrgId: string,
  partyOrgIds: readonly string[] = [],
): boolean {
  if (isAdmin(caller)) return true;
  if (caller.orgId === null) return false;
  return caller.orgId === ownerOrgId || partyOrgIds.includes(caller.orgId);
}

/**
 * Which SLA policies a list shows: `ownerOrgId` narrows to one organization's (null: any);
 * `viewerOrgId` keeps those that organization may see (null: all, for admin).
 */
export interface SlaPolicyListScope {
  ownerOrgId: string | null;
  viewerOrgId: string | null;
}

/** The SLA policies a caller may list; null when it may see none. */
export function slaPolicyListScope(
  caller: Caller,
  orgId?: string | null,
): SlaPolicyListScope | null {
  const ownerOrgId = orgId ?? null;
  if (isAdmin(caller)) return { ownerOrgId, viewerOrgId: null };
  if (caller.orgId === null) return null;
  return { ownerOrgId, viewerOrgId: caller.orgId };
}

/** Policy order: lower position first, then the older policy (ids are time-ordered). */
export function byPosition(
  a: { position: number; id: string },
  b: { position: number; id: string },
) {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const date = z.date({ error: 'must be a date-time' });

export const createSlaPolicyInput = z
  .object({
    orgId: idOf('an organization'),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    position: z.number().int().min(0).max(1_000_000),
    validFrom: date.nullish(),
    validTo: date.nullish().transform((d) => d ?? null),
    definition: z.unknown(),
    idempotencyKey: z.string().nullish(),
  })
  .refine((d) => !(d.validFrom && d.validTo && d.validTo <= d.validFrom), {
    message: 'validTo must be after validFrom',
    path: ['validTo'],
  });
