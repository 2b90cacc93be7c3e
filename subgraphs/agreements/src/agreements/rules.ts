import { type Caller, idOf, isAdmin, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

export type AgreementStatus = 'DRAFT' | 'ACTIVE' | 'EXPIRED' | 'TERMINATED';

export const agreementsArgs = z.object({ orgId: idOf('an organization').nullish() });

/** An agreement is visible to its parties and to admin. */
export function canSeeAgreement(caller: Caller, partyOrgIds: readonly string[]): boolean {
  return isAdmin(caller) || (caller.orgId !== null && partyOrgIds.includes(caller.orgId));
}

/** Which agreements a list shows: those every one of `partyOrgIds` is a party of ([]: all). */
export interface AgreementListScope {
  partyOrgIds: string[];
}

/**
 * The agreements a caller may list, optionally narrowed to those `orgId` is a party of; null
 * when the caller may see none (no organization and not admin). A non-admin asking for another
 * organization sees the agreements both organizations are parties of.
 */
export function agreementListScope(
  caller: Caller,
  orgId?: string | null,
): AgreementListScope | null {
  const wanted = orgId ? [orgId] : [];
  if (isAdmin(caller)) return { partyOrgIds: wanted };
  if (caller.orgId === null) return null;
  return { partyOrgIds: [...new Set([...wanted, caller.orgId])] };
}

/** The status in force at `at`: an ACTIVE agreement is EXPIRED from its validTo on. */
export function effectiveStatus(
  agreement: { status: AgreementStatus; validTo: Date | null },
  at: Date,
): AgreementStatus {
  if (agreement.status === 'ACTIVE' && agreement.validTo !== null && agreement.validTo <= at) {
    return 'EXPIRED';
  }
  return agreement.status;
}

const date = z.date({ error: 'must be a date-time' });
const WINDOW = { message: 'validTo must be after validFrom', path: ['validTo'] };
const windowProblem = (d: { validFrom?: Date | null; validTo?: Date | null }) =>
  Boolean(d.validFrom && d.validTo && d.validTo <= d.validFrom);

const regions = z
  .array(z.string().regex(REGION_CODE, 'must be a region code (DE, DE-NW)'))
  .max(200);
const notes = z.string().trim().max(2000);

/**
 * The terms each type of agreement holds (validated JSON, strict: an unknown field is refused).
 * Kept small on purpose: what the platform reads of them; prose goes in `notes`.
 */
export const TERMS = {
  DISTRIBUTION: z.strictObject({
    territories: regions.min(1),
    exclusive: z.boolean().default(false),
    notes: notes.optional(),
  }),
  SERVICE: z.strictObject({
    regions: regions.optional(),
    /** issue types the service partner handles (absent: all) */
    issueTypes: z.array(z.string().min(1).max(64)).max(100).optional(),
    notes: notes.optional(),
  }),
  WARRANTY: z.strictObject({
    months: z.number().int().min(1).max(240),
    coverage: z.enum(['PARTS', 'LABOR', 'FULL']),
    notes: notes.optional(),
  }),
  RESELLER: z.strictObject({
    discountPercent: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a decimal string 0-99.99'),
    territories: regions.optional(),
    notes: notes.optional(),
  }),
} as const satisfies Record<AgreementType, z.ZodType>;

export const AGREEMENT_TYPES = ['DISTRIBUTION', 'SERVICE', 'WARRANTY', 'RESELLER'] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

const slaPolicyIds = z
  .array(idOf('an SLA policy'))
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a policy');

export const createAgreementInput = z
  .object({
    type: z.enum(AGREEMENT_TYPES),
    partyOrgIds: z
      .array(idOf('an organization'))
      .min(2, 'an agreement binds at least two organizations')
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an organization'),
    validFrom: date.nullish(),
    validTo: date.nullish().transform((d) => d ?? null),
    terms: z.unknown(),
    slaPolicyIds: slaPolicyIds.nullish().transform((ids) => ids ?? []),
    idempotencyKey: z.string().nullish(),
  })
  .refine((d) => !windowProblem(d), WINDOW);
export type CreateAgreementInput = z.output<typeof createAgreementInput>;

/** An update names what changes; an absent field keeps its value. */
export const updateAgreementInput = z
  .object({
    status: z.enum(['DRAFT', 'ACTIVE', 'EXPIRED', 'TERMINATED']).nullish(),
    validFrom: date.nullish(),
    validTo: date.nullish(),
    terms: z.unknown().optional(),
    slaPolicyIds: slaPolicyIds.nullish(),
    idempotencyKey: z.string().nullish(),
  })
  .refine((d) => !windowProblem(d), WINDOW);
export type UpdateAgreementInput = z.output<typeof updateAgreementInput>;

/**
 * The terms of a type, validated; the problem names its path under `field` (`input.terms.months`).
 */
export function termsOf(
  type: AgreementType,
  terms: unknown,
  field: string,
): { terms: Record<string, unknown> } | { field: string; message: string } {
  const parsed = TERMS[type].safeParse(terms ?? {});
  if (parsed.success) return { terms: parsed.data as Record<string, unknown> };
  const issue = parsed.error.issues[0];
  const path = [field, ...(issue?.path ?? []).map(String)].join('.');
  return { field: path, message: `${path}: ${issue?.message ?? 'is invalid'} (${type} terms)` };
}

/**
 * The status machine: DRAFT → ACTIVE → EXPIRED | TERMINATED. 'SAME' for no change; 'ILLEGAL'
 * for anything else (the database refuses it too, `agreement_guard`).
 */
export function agreementTransition(
  from: AgreementStatus,
  to: AgreementStatus,
): 'OK' | 'SAME' | 'ILLEGAL' {
  if (from === to) return 'SAME';
  if (from === 'DRAFT' && to === 'ACTIVE') return 'OK';
  if (from === 'ACTIVE' && (to === 'EXPIRED' || to === 'TERMINATED')) return 'OK';
  return 'ILLEGAL';
}

/** Where an agreement can go from `from`, for messages. */
export const nextAgreementStatuses = (from: AgreementStatus): string =>
  from === 'DRAFT'
    ? 'ACTIVE'
    : from === 'ACTIVE'
      ? 'EXPIRED or TERMINATED'
      : 'nowhere (it is final)';

/**
 * Who may write an agreement: admin, or a caller acting for one of its parties. A non-admin
 * creating one must be among the parties (nothing one organization declares alone binds
 * another: the others accept, below).
 */
export function mayWriteAgreement(caller: Caller, partyOrgIds: readonly string[]): boolean {
  return isAdmin(caller) || (caller.orgId !== null && partyOrgIds.includes(caller.orgId));
}

/**
 * Consent: an agreement becomes ACTIVE when every party accepted it. The creator accepts by
 * creating; each other party by asking for ACTIVE; an administrator's ACTIVE is everyone's.
 * A change of what was agreed (terms, validity, SLA policies) while DRAFT withdraws the
 * others' acceptances; an ACTIVE agreement's terms do not change (a new agreement does that).
 */
export function activation(
  parties: readonly { orgId: string; acceptedAt: Date | null }[],
  acceptingOrgId: string | null,
  admin: boolean,
): { accepted: string[]; active: boolean } {
  const accepted = parties
    .filter((p) => admin || p.acceptedAt !== null || p.orgId === acceptingOrgId)
    .map((p) => p.orgId);
  return { accepted, active: accepted.length === parties.length };
}

/**
 * SLA policies an agreement may apply: each belongs to one of its parties, and to the writer's
 * organization unless the writer is admin (one party cannot show the others a stranger's
 * policy, nor apply another party's without it). Answers the index of the first that may not.
 */
export function slaPolicyProblem(
  caller: Caller,
  partyOrgIds: readonly string[],
  policies: readonly ({ orgId: string } | null)[],
): { index: number; message: string } | null {
  for (const [index, p] of policies.entries()) {
    if (!p) return { index, message: 'no such SLA policy' };
    if (!partyOrgIds.includes(p.orgId))
      return { index, message: 'the SLA policy belongs to no party of the agreement' };
    if (!isAdmin(caller) && p.orgId !== caller.orgId)
      return { index, message: 'only the organization owning an SLA policy applies it' };
  }
  return null;
}
