import { isDeepStrictEqual } from 'node:util';
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

/** An update names what changes; an absent field keeps its value (`validTo: null` too). */
export const updateSlaPolicyInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200).nullish(),
  position: z.number().int().min(0).max(1_000_000).nullish(),
  validFrom: date.nullish(),
  validTo: date.nullish(),
  definition: z.unknown().optional(),
  idempotencyKey: z.string().nullish(),
});
export type UpdateSlaPolicyInput = z.output<typeof updateSlaPolicyInput>;

/** What a version of an SLA policy holds. */
export interface SlaPolicyContent {
  name: string;
  position: number;
  validFrom: Date;
  validTo: Date | null;
  definition: unknown;
}

/**
 * The next version's content after an update, null when nothing changes; a window that ends
 * before it starts is a problem naming its field.
 */
export function nextSlaPolicyContent(
  current: SlaPolicyContent,
  input: UpdateSlaPolicyInput,
): { content: SlaPolicyContent | null } | { field: string; message: string } {
  const next: SlaPolicyContent = {
    name: input.name ?? current.name,
    position: input.position ?? current.position,
    validFrom: input.validFrom ?? current.validFrom,
    validTo: input.validTo ?? current.validTo,
    definition: input.definition === undefined ? current.definition : input.definition,
  };
  if (next.validTo && next.validTo <= next.validFrom)
    return { field: 'input.validTo', message: 'input.validTo: validTo must be after validFrom' };
  const same =
    next.name === current.name &&
    next.position === current.position &&
    next.validFrom.getTime() === current.validFrom.getTime() &&
    (next.validTo?.getTime() ?? null) === (current.validTo?.getTime() ?? null) &&
    isDeepStrictEqual(next.definition, current.definition);
  return { content: same ? null : next };
}

/**
 * The version of a policy in force at `at`: the last one written by then; a ticket older than the
 * policy runs under its first version. `versions` is oldest first and not empty.
 */
export function versionAt<V extends { createdAt: Date }>(versions: readonly V[], at: Date): V {
  for (let i = versions.length - 1; i > 0; i--) {
    const v = versions[i] as V;
    if (v.createdAt <= at) return v;
  }
  return versions[0] as V;
}
